package io.bookinghub.hub.integrations;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The operator's integration settings of a connector, hub-admin only: {@code GET} shows every integration
 * property's effective value (secrets as "set") and origin, {@code PUT} changes stored settings,
 * {@code GET .../events} lists who changed what.
 */
@Path("/admin/connectors/{connectorId}/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.HUB_ADMIN_NAME)
public final class IntegrationResource {
    /** Body of PUT: property values to store; {@code null} removes a stored value. */
    public record SettingsRequest(@JsonProperty("settings") Map<String, Object> settings) {
    }

    /** A connector's integration settings. */
    public record SettingsView(String connectorId, Map<String, SettingView> settings) {
    }

    private final Integrations integrations;

    IntegrationResource(Integrations integrations) {
        this.integrations = requireNonNull(integrations, "integrations is null");
    }

    @GET
    public SettingsView get(@PathParam("connectorId") String connectorId) {
        return new SettingsView(connectorId, integrations.view(connectorId));
    }

    @PUT
    public SettingsView put(@Auth HubPrincipal principal, @PathParam("connectorId") String connectorId,
            @NotNull SettingsRequest request) {
        return new SettingsView(connectorId, integrations.update(connectorId, request.settings(),
                principal.keyName()));
    }

    @GET
    @Path("/events")
    public Page<IntegrationDao.Event> events(@PathParam("connectorId") String connectorId,
            @Valid @BeanParam Paging paging) {
        int limit = paging.limit();
        Cursor after = paging.cursor("integration-events", 2);
        // One row more than the page tells whether another page exists.
        return Page.of(integrations.events(connectorId, after == null ? null : after.instant(0, "cursor"),
                after == null ? null : after.number(1, "cursor"), limit + 1), limit,
                e -> Cursor.after("integration-events", e.at(), e.id()));
    }
}
