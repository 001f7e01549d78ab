package io.bookinghub.hub.resources;

import io.bookinghub.hub.api.ConnectionRequest;
import io.bookinghub.hub.api.ConnectionView;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.connections.ConnectionService;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** A business's connections: enable and configure, show (secrets masked), disable. */
@Path("/admin/businesses/{businessId}/connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.BUSINESS_ADMIN_NAME)
public class ConnectionResource {
    private final ConnectionService connections;

    public ConnectionResource(ConnectionService connections) {
        this.connections = connections;
    }

    @GET
    public List<ConnectionView> list(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId) {
        principal.requireAccess(businessId);
        return connections.list(businessId);
    }

    @PUT
    @Path("/{connectorId}")
    public ConnectionView configure(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @NotNull ConnectionRequest request) {
        principal.requireAccess(businessId);
        return connections.configure(businessId, connectorId, request);
    }

    @GET
    @Path("/{connectorId}")
    public ConnectionView get(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId) {
        principal.requireAccess(businessId);
        return connections.get(businessId, connectorId);
    }

    @DELETE
    @Path("/{connectorId}")
    public ConnectionView disable(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId) {
        principal.requireAccess(businessId);
        return connections.disable(businessId, connectorId);
    }
}
