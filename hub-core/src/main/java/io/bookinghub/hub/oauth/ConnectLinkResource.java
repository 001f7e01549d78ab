package io.bookinghub.hub.oauth;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectionService;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /admin/businesses/{businessId}/connections/{connectorId}/oauth/link} (business-admin of that
 * business, or hub-admin): a one-time link for a salon owner who has no API key, answered as
 * {@code 201 {"url": ".../connectors/{connectorId}/oauth/connect?link=...", "expiresAt": ...}}. Opening it
 * starts the OAuth authorization in the owner's browser, once, within {@code oauth.linkTtl}.
 *
 * <p>The URL starts with the configured {@code oauth.publicBaseUrl}, never with the request's Host header
 * (links end up in emails, and the header is the client's to choose); without one it is a path relative to
 * the hub. Its own root resource, for the reason given on {@code SyncResource}.
 */
@Path("/admin/businesses/{businessId}/connections/{connectorId}/oauth/link")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.BUSINESS_ADMIN_NAME)
public final class ConnectLinkResource {
    private final ConnectionService connections;
    private final ConnectorInstances instances;
    private final ConnectLinks links;
    private final Optional<String> publicBaseUrl;

    public ConnectLinkResource(ConnectionService connections, ConnectorInstances instances, ConnectLinks links,
            Optional<String> publicBaseUrl) {
        this.connections = requireNonNull(connections, "connections is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.links = requireNonNull(links, "links is null");
        this.publicBaseUrl = requireNonNull(publicBaseUrl, "publicBaseUrl is null");
    }

    @POST
    public Response create(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId) {
        principal.requireAccess(businessId);
        ConnectionRow row = connections.require(businessId, connectorId);
        OAuthResource.requireAuthorizable(instances, row);
        ConnectLinks.Issued issued = links.create(row.id(), principal.keyName());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", publicBaseUrl.orElse("") + "/connectors/" + row.connectorId() + "/oauth/connect?link="
                + issued.token());
        body.put("expiresAt", issued.expiresAt().toString());
        // The answer holds a live credential: no cache may keep it.
        return Response.status(Response.Status.CREATED).entity(body).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store").build();
    }
}
