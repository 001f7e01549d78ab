package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.auth.HubPrincipal;
import jakarta.servlet.Servlet;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The console's only way to read and change the hub: it calls the hub's own HTTP API in process, as the signed-in
 * key's principal. Every page therefore sees exactly what that key may see through the API, with the same
 * validation, the same errors and the same authorization matrix; the console adds no second set of rules.
 *
 * <p>Calls go through Jersey's application handler (as Jersey's in-memory connector does) rather than over the
 * network, so they need no TLS trust of the hub's own certificate and no key in the session: the principal travels
 * as a request property, which only server code can set (see {@code BearerHeaderAuthFilter}).
 */
public final class HubApiCalls {
    /** The request property carrying the signed-in principal to the authentication filter. */
    public static final String PRINCIPAL_PROPERTY = "io.bookinghub.console.principal";

    /** The API's answer: status, headers and the JSON body as maps and lists (null when there was none). */
    public record Answer(int status, MultivaluedMap<String, Object> headers, Object body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as a JSON object. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> object() {
            return body instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        }

        /** The error message of a refused call. */
        public String message() {
            Object message = object().get("message");
            return message == null ? "HTTP " + status : message.toString();
        }

        /** Each bad field of a refused call: {field, message}. */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> fields() {
            Object fields = object().get("fields");
            return fields instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
        }
    }

    private final Supplier<Servlet> container;
    private final ObjectMapper json;
    private volatile ApplicationHandler handler;

    /** @param container Dropwizard's Jersey servlet, which has its application handler once Jetty started it */
    public HubApiCalls(Supplier<Servlet> container, ObjectMapper json) {
        this.container = requireNonNull(container, "container is null");
        this.json = requireNonNull(json, "json is null");
    }

    /**
     * Calls the API.
     *
     * @param baseUri     the console request's base URI, so links and cookies the API builds point where the
     *                    browser is
     * @param pathAndQuery e.g. {@code /admin/businesses?limit=50}, already encoded
     * @param contentType the body's type, or null without a body
     */
    public Answer call(HubPrincipal principal, URI baseUri, String method, String pathAndQuery, String contentType,
            byte[] body) {
        requireNonNull(principal, "principal is null");
        ApplicationHandler app = handler();
        URI requestUri = baseUri.resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
        ContainerRequest request = new ContainerRequest(baseUri, requestUri, method, null,
                new MapPropertiesDelegate(), app.getConfiguration());
        request.setProperty(PRINCIPAL_PROPERTY, principal);
        request.header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", contentType);
            request.header("Content-Length", Integer.toString(body.length));
            request.setEntityStream(new ByteArrayInputStream(body));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerResponse response;
        try {
            response = app.apply(request, out).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the hub API", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the hub API call " + method + " " + requestUri.getPath() + " failed",
                    e.getCause());
        }
        byte[] bytes = out.toByteArray();
        Object parsed = null;
        String type = response.getMediaType() == null ? "" : response.getMediaType().toString();
        if (bytes.length > 0 && type.contains("json")) {
            try {
                parsed = json.readValue(bytes, Object.class);
            } catch (IOException e) {
                throw new UncheckedIOException("the hub API answered malformed JSON", e);
            }
        }
        return new Answer(response.getStatus(), response.getHeaders(), parsed);
    }

    /** A JSON body. */
    public byte[] json(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApplicationHandler handler() {
        ApplicationHandler known = handler;
        if (known == null) {
            if (!(container.get() instanceof ServletContainer servlet) || servlet.getApplicationHandler() == null) {
                throw new IllegalStateException("the hub's Jersey application is not running");
            }
            known = servlet.getApplicationHandler();
            handler = known;
        }
        return known;
    }
}
