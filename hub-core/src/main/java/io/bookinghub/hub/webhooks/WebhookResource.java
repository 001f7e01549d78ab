package io.bookinghub.hub.webhooks;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The provider-facing webhook routes. Unauthenticated by API key (the connector's signature check is
 * the authentication); accepts any content type, since the body is handed on as raw bytes and only the
 * connector decides what it accepts.
 */
@Path("/connectors/{connectorId}/webhook")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class WebhookResource {
    private final WebhookIntake intake;

    public WebhookResource(WebhookIntake intake) {
        this.intake = intake;
    }

    /** The shared route: the connection is found by the provider account the request names. */
    @POST
    public Response receive(@PathParam("connectorId") String connectorId, @Context HttpHeaders headers,
            @Context UriInfo uri, InputStream body) {
        return answer(intake.receive(connectorId, null, copy(headers), uri.getPath(), query(uri), body));
    }

    /** The per-connection route, for providers that register one URL per account. */
    @POST
    @Path("/{connectionId}")
    public Response receiveForConnection(@PathParam("connectorId") String connectorId,
            @PathParam("connectionId") String connectionId, @Context HttpHeaders headers, @Context UriInfo uri,
            InputStream body) {
        UUID id;
        try {
            id = UUID.fromString(connectionId);
        } catch (IllegalArgumentException e) {
            // An unparseable id names no connection: the same answer as for an unknown one.
            id = new UUID(0, 0);
        }
        return answer(intake.receive(connectorId, id, copy(headers), uri.getPath(), query(uri), body));
    }

    private static Map<String, List<String>> query(UriInfo uri) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        uri.getQueryParameters(true).forEach((k, v) -> map.put(k, List.copyOf(v)));
        return map;
    }

    private static Map<String, List<String>> copy(HttpHeaders headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        headers.getRequestHeaders().forEach((k, v) -> map.put(k, List.copyOf(v)));
        return map;
    }

    private static Response answer(WebhookIntake.Reply reply) {
        Response.ResponseBuilder r = Response.status(reply.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(reply.body());
        if (reply.retryAfter() != null) {
            // Whole seconds, rounded up: a provider that retries early is only refused again.
            long millis = reply.retryAfter().toMillis();
            r.header("Retry-After", Math.max(1, (millis + 999) / 1000));
        }
        return r.build();
    }
}
