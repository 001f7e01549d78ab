package io.bookinghub.hub.oauth;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorDescriptor;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;

/**
 * The cookie that binds an OAuth attempt to the browser that started it. Scoped to the connector's OAuth
 * routes ({@code Path=/connectors/{connectorId}/oauth}), so the callback gets it and nothing else does;
 * {@code HttpOnly} (no script reads it), {@code SameSite=Lax} (the provider's top-level redirect back still
 * carries it), {@code Secure} when the request came over https, and living as long as the state.
 *
 * <p>The scheme is the request's as the server sees it: behind a TLS-terminating proxy it is https only if
 * the operator told the server to trust forwarded headers ({@code useForwardedHeaders} on the connector);
 * an {@code X-Forwarded-Proto} header is not taken on its own word.
 */
final class BrowserCookie {
    static final String NAME = "hub_oauth_browser";

    private BrowserCookie() {
    }

    /** {@code response} with the cookie holding {@code binding} for {@code maxAge}. */
    static Response.ResponseBuilder set(Response.ResponseBuilder response, String connectorId, String binding,
            Duration maxAge, UriInfo request) {
        requireNonNull(binding, "binding is null");
        return response.header(HttpHeaders.SET_COOKIE, header(connectorId, binding, maxAge.toSeconds(), request));
    }

    /**
     * {@code response} with the cookie removed from the browser. Not on a route of an invalid connector id:
     * the id becomes the cookie's path, and the callback's id is whatever the URL says.
     */
    static Response clear(Response response, String connectorId, UriInfo request) {
        if (!ConnectorDescriptor.ID.matcher(connectorId).matches()) {
            return response;
        }
        return Response.fromResponse(response).header(HttpHeaders.SET_COOKIE, header(connectorId, "", 0, request))
                .build();
    }

    private static String header(String connectorId, String value, long maxAgeSeconds, UriInfo request) {
        if (!ConnectorDescriptor.ID.matcher(connectorId).matches()) {
            throw new IllegalArgumentException("not a connector id");
        }
        boolean secure = "https".equalsIgnoreCase(request.getRequestUri().getScheme());
        return NAME + "=" + value + "; Path=/connectors/" + connectorId + "/oauth; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }
}
