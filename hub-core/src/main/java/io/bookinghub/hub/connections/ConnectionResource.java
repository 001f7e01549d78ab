package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.integrations.SettingView;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorDescriptor;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * A business's connections: enable and configure (the business's own settings), show (secrets masked),
 * disable; for hub-admins, overrides of integration settings for one connection ({@code .../overrides}) and
 * the effective configuration with each value's origin ({@code .../effective-config}); and each connection's
 * audit trail: {@code .../api-calls} (every outbound provider call) and {@code .../events} (what happened to
 * the connection), newest first.
 */
@Path("/admin/businesses/{businessId}/connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.BUSINESS_ADMIN_NAME)
public final class ConnectionResource {
    private final ConnectionService connections;
    private final ConnectionViews views;
    private final Jdbi jdbi;

    ConnectionResource(ConnectionService connections, ConnectionViews views, Jdbi jdbi) {
        this.connections = requireNonNull(connections, "connections is null");
        this.views = requireNonNull(views, "views is null");
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    @GET
    public List<ConnectionView> list(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId) {
        principal.requireAccess(businessId);
        return connections.list(businessId).stream().map(views::view).toList();
    }

    @PUT
    @Path("/{connectorId}")
    public ConnectionView configure(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @NotNull ConnectionRequest request) {
        principal.requireAccess(businessId);
        return views.view(connections.configure(businessId, connectorId, request.config(), request.syncInterval()));
    }

    /** Body of PUT .../overrides: integration properties to override; {@code null} removes an override. */
    public record OverridesRequest(@JsonProperty("overrides") Map<String, Object> overrides) {
    }

    /** A connection's effective configuration. */
    public record EffectiveView(String connectorId, Map<String, SettingView> settings) {
    }

    @PUT
    @Path("/{connectorId}/overrides")
    @RolesAllowed(Role.HUB_ADMIN_NAME)
    public ConnectionView override(@PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @NotNull OverridesRequest request) {
        return views.view(connections.override(businessId, connectorId, request.overrides()));
    }

    @GET
    @Path("/{connectorId}/effective-config")
    @RolesAllowed(Role.HUB_ADMIN_NAME)
    public EffectiveView effective(@PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId) {
        ConnectionRow row = connections.require(businessId, connectorId);
        ConnectorDescriptor descriptor = connections.descriptor(connectorId);
        return new EffectiveView(connectorId, connections.effective(row).views(descriptor));
    }

    /**
     * JSON Merge Patch (RFC 7396) of the business's settings: {@code {"config": {...}, "syncInterval": ...}};
     * only what is given changes, a null removes it.
     */
    @PATCH
    @Path("/{connectorId}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    public ConnectionView patch(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @NotNull Map<String, Object> patch) {
        principal.requireAccess(businessId);
        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        patch.keySet().stream().filter(k -> !k.equals("config") && !k.equals("syncInterval"))
                .forEach(k -> errors.add(new ConfigValidationException.FieldError(k, "unknown field")));
        Object config = patch.get("config");
        if (config != null && !(config instanceof Map)) {
            errors.add(new ConfigValidationException.FieldError("config", "must be an object"));
        }
        Object interval = patch.get("syncInterval");
        if (interval != null && !(interval instanceof String)) {
            errors.add(new ConfigValidationException.FieldError("syncInterval", "must be a string or null"));
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> changes = config == null ? Map.of() : (Map<String, Object>) config;
        Optional<String> schedule = patch.containsKey("syncInterval")
                ? Optional.of(interval == null ? "" : (String) interval) : Optional.empty();
        return views.view(connections.patch(businessId, connectorId, changes, schedule));
    }

    @GET
    @Path("/{connectorId}")
    public ConnectionView get(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId) {
        principal.requireAccess(businessId);
        return views.view(connections.require(businessId, connectorId));
    }

    @DELETE
    @Path("/{connectorId}")
    public ConnectionView disable(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId) {
        principal.requireAccess(businessId);
        return views.view(connections.disable(businessId, connectorId));
    }

    @GET
    @Path("/{connectorId}/api-calls")
    public Page<ApiCallView> apiCalls(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @Valid @BeanParam Paging paging) {
        return audit(principal, businessId, connectorId, paging, "api-calls", ConnectionAuditDao::apiCalls,
                v -> Cursor.after("api-calls", v.startedAt(), v.id()));
    }

    @GET
    @Path("/{connectorId}/events")
    public Page<ConnectionEventView> events(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @Valid @BeanParam Paging paging) {
        return audit(principal, businessId, connectorId, paging, "events", ConnectionAuditDao::events,
                v -> Cursor.after("events", v.at(), v.id()));
    }

    /** One page of one audit listing of the connection. */
    private interface AuditListing<T> {
        List<T> read(ConnectionAuditDao dao, UUID connectionId, Instant afterAt, Long afterId, int limit);
    }

    private <T> Page<T> audit(HubPrincipal principal, UUID businessId, String connectorId, Paging paging,
            String name, AuditListing<T> listing, Function<T, Cursor> keyOf) {
        int limit = paging.limit();
        Cursor after = paging.cursor(name, 2);
        principal.requireAccess(businessId);
        UUID connectionId = connections.require(businessId, connectorId).id();
        return Page.of(jdbi.withExtension(ConnectionAuditDao.class, dao -> listing.read(dao, connectionId,
                after == null ? null : after.instant(0, "cursor"), after == null ? null : after.number(1, "cursor"),
                limit)), limit, keyOf);
    }
}
