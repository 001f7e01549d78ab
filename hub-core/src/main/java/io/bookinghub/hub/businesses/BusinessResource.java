package io.bookinghub.hub.businesses;

import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.auth.Scope;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@code /admin/businesses}: create (hub-admin) and list the businesses the caller may see. */
@Path("/admin/businesses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class BusinessResource {
    private final Jdbi jdbi;
    private final Clock clock;

    public BusinessResource(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @POST
    @RolesAllowed(Role.HUB_ADMIN_NAME)
    public Response create(@Auth HubPrincipal principal, @NotNull @Valid BusinessRequest request,
            @Context UriInfo uriInfo) {
        var now = clock.instant();
        BusinessRow row = new BusinessRow(UUID.randomUUID(), request.name().trim(), request.timeZone(), now, now);
        jdbi.onDemand(BusinessDao.class).insert(row);
        return Response.created(uriInfo.getAbsolutePathBuilder().path(row.id().toString()).build())
                .entity(BusinessView.of(row)).build();
    }

    @GET
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public Page<BusinessView> list(@Auth HubPrincipal principal, @BeanParam Paging paging) {
        int limit = paging.limit();
        Cursor after = paging.cursor("businesses", 2);
        var rows = jdbi.onDemand(BusinessDao.class).list(principal.businessId().orElse(null),
                after == null ? null : after.instant(0, "cursor"), after == null ? null : after.uuid(1, "cursor"),
                limit + 1);
        return Page.of(rows.stream().map(BusinessView::of).toList(), limit,
                b -> Cursor.after("businesses", b.createdAt(), b.id()));
    }

    /** {@code GET /admin/businesses/{businessId}}. */
    @Path("/admin/businesses/{businessId}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public static final class One {
        private final Jdbi jdbi;

        One(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        @GET
        public BusinessView get(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId) {
            principal.requireAccess(businessId);
            return BusinessView.of(jdbi.onDemand(BusinessDao.class).require(businessId));
        }
    }

    /**
     * {@code GET /v1/businesses/{businessId}}: the app API's view of a business (its name and time zone, which every
     * other {@code /v1} time is read in). App keys need the {@code read} scope.
     */
    @Path("/v1/businesses/{businessId}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.APP_NAME, Role.BUSINESS_ADMIN_NAME})
    public static final class App {
        private final Jdbi jdbi;

        App(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        @GET
        public BusinessView get(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId) {
            principal.requireScope(businessId, Scope.READ);
            return BusinessView.of(jdbi.onDemand(BusinessDao.class).require(businessId));
        }
    }
}
