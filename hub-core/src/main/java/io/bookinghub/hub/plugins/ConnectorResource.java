package io.bookinghub.hub.plugins;

import io.bookinghub.hub.auth.Role;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Installed connectors, what each can do, plugins that failed to load, and the SPI version plugins must accept. */
@Path("/admin/connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {
    public record ConnectorList(String spiVersion, List<ConnectorView> connectors, List<PluginProblem> failed) {
    }

    private final ConnectorPlugins plugins;

    public ConnectorResource(ConnectorPlugins plugins) {
        this.plugins = plugins;
    }

    @GET
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public ConnectorList list() {
        return new ConnectorList(plugins.spiVersion(), plugins.connectors().stream().map(ConnectorView::of).toList(),
                plugins.problems());
    }

    @GET
    @Path("/{connectorId}")
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public ConnectorView get(@PathParam("connectorId") String connectorId) {
        return plugins.find(connectorId).map(ConnectorView::of)
                .orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No connector '" + connectorId + "' is installed"));
    }
}
