package io.bookinghub.hub.model;

import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.ETagged;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.auth.Scope;
import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * A business's shared model: what the connectors brought in, for admin keys under {@code /admin} and, in
 * {@link App}, for apps under {@code /v1}. The root path is the same as the one of {@code BusinessResource.One};
 * Jersey merges root resources with equal paths, so each feature keeps its own.
 */
@Path("/admin/businesses/{businessId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.BUSINESS_ADMIN_NAME)
public final class ModelResource {
    /** Query parameters shared by every listing. */
    public static class Filters {
        @QueryParam("connector")
        String connector;
        @QueryParam("from")
        String from;
        @QueryParam("to")
        String to;
        @QueryParam("includeDeleted")
        String includeDeleted;
        @QueryParam("includeRaw")
        String includeRaw;
        @BeanParam
        Paging paging;
    }

    private final Reads reads;

    public ModelResource(Jdbi jdbi, ModelQueries queries) {
        this.reads = new Reads(jdbi, queries);
    }

    @GET
    @Path("/appointments")
    public Page<AppointmentView> appointments(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @BeanParam Filters filters) {
        return reads.appointments(() -> principal.requireAccess(businessId), businessId, filters);
    }

    @GET
    @Path("/appointments/{appointmentId}")
    public AppointmentView appointment(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("appointmentId") UUID appointmentId, @QueryParam("includeRaw") String includeRaw) {
        return reads.appointment(() -> principal.requireAccess(businessId), businessId, appointmentId, includeRaw);
    }

    @GET
    @Path("/services")
    public Page<ServiceView> services(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @BeanParam Filters filters) {
        return reads.services(() -> principal.requireAccess(businessId), businessId, filters);
    }

    @GET
    @Path("/staff")
    public Page<StaffView> staff(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @BeanParam Filters filters) {
        return reads.staff(() -> principal.requireAccess(businessId), businessId, filters);
    }

    @GET
    @Path("/clients")
    public Page<ClientView> clients(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @BeanParam Filters filters) {
        return reads.clients(() -> principal.requireAccess(businessId), businessId, filters);
    }

    @GET
    @Path("/locations")
    public Page<LocationView> locations(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @BeanParam Filters filters) {
        return reads.locations(() -> principal.requireAccess(businessId), businessId, filters);
    }

    @GET
    @Path("/availability")
    public Page<AvailabilityView> availability(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @BeanParam Filters filters) {
        return reads.availability(() -> principal.requireAccess(businessId), businessId, filters);
    }

    @GET
    @Path("/record-counts")
    public Map<RecordKind, Long> counts(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("connector") String connector) {
        reads.requireBusiness(() -> principal.requireAccess(businessId), businessId);
        return connector == null ? reads.queries.counts(businessId) : reads.queries.counts(businessId, connector);
    }

    /**
     * {@code /v1/businesses/{businessId}/...}: the model for apps (app keys with the {@code read} scope, and admin
     * keys for the businesses their role covers), with the admin listings' filters and paging. Answers carry an
     * {@code ETag}, so a polling app asks with {@code If-None-Match} and gets a 304 while nothing changed.
     * Availability is not here: the app API's availability belongs to write-back.
     */
    @Path("/v1/businesses/{businessId}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.APP_NAME, Role.BUSINESS_ADMIN_NAME})
    @ETagged
    public static final class App {
        private final Reads reads;

        public App(Jdbi jdbi, ModelQueries queries) {
            this.reads = new Reads(jdbi, queries);
        }

        @GET
        @Path("/appointments")
        public Page<AppointmentView> appointments(@Auth HubPrincipal principal,
                @PathParam("businessId") UUID businessId, @BeanParam Filters filters) {
            return reads.appointments(() -> principal.requireScope(businessId, Scope.READ), businessId, filters);
        }

        @GET
        @Path("/appointments/{appointmentId}")
        public AppointmentView appointment(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @PathParam("appointmentId") UUID appointmentId, @QueryParam("includeRaw") String includeRaw) {
            return reads.appointment(() -> principal.requireScope(businessId, Scope.READ), businessId, appointmentId,
                    includeRaw);
        }

        @GET
        @Path("/services")
        public Page<ServiceView> services(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @BeanParam Filters filters) {
            return reads.services(() -> principal.requireScope(businessId, Scope.READ), businessId, filters);
        }

        @GET
        @Path("/staff")
        public Page<StaffView> staff(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @BeanParam Filters filters) {
            return reads.staff(() -> principal.requireScope(businessId, Scope.READ), businessId, filters);
        }

        @GET
        @Path("/clients")
        public Page<ClientView> clients(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @BeanParam Filters filters) {
            return reads.clients(() -> principal.requireScope(businessId, Scope.READ), businessId, filters);
        }

        @GET
        @Path("/locations")
        public Page<LocationView> locations(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @BeanParam Filters filters) {
            return reads.locations(() -> principal.requireScope(businessId, Scope.READ), businessId, filters);
        }
    }

    /**
     * The reads both route classes serve; {@code access} is the caller's check for the business (the admin
     * role's or the app scope's), run after the parameters are read so a bad request is a 400 for anyone.
     */
    static final class Reads {
        private final Jdbi jdbi;
        final ModelQueries queries;

        Reads(Jdbi jdbi, ModelQueries queries) {
            this.jdbi = jdbi;
            this.queries = queries;
        }

        Page<AppointmentView> appointments(Runnable access, UUID businessId, Filters filters) {
            return page(access, businessId, filters, "appointments", queries::appointments,
                    v -> Cursor.after("appointments", v.start(), v.connectorId(), v.externalId()));
        }

        AppointmentView appointment(Runnable access, UUID businessId, UUID appointmentId, String includeRaw) {
            boolean raw = BadRequestException.flag("includeRaw", includeRaw, true);
            requireBusiness(access, businessId);
            return queries.appointment(businessId, appointmentId, raw)
                    .orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No appointment " + appointmentId));
        }

        Page<AvailabilityView> availability(Runnable access, UUID businessId, Filters filters) {
            return page(access, businessId, filters, "availability", queries::availability,
                    v -> Cursor.after("availability", v.start(), v.connectorId(), v.externalId()));
        }

        Page<ServiceView> services(Runnable access, UUID businessId, Filters filters) {
            return page(access, businessId, filters, "services", queries::services,
                    v -> Cursor.after("services", v.name(), v.connectorId(), v.externalId()));
        }

        Page<StaffView> staff(Runnable access, UUID businessId, Filters filters) {
            return page(access, businessId, filters, "staff", queries::staff,
                    v -> Cursor.after("staff", v.name(), v.connectorId(), v.externalId()));
        }

        Page<ClientView> clients(Runnable access, UUID businessId, Filters filters) {
            return page(access, businessId, filters, "clients", queries::clients,
                    v -> Cursor.after("clients", v.name(), v.connectorId(), v.externalId()));
        }

        Page<LocationView> locations(Runnable access, UUID businessId, Filters filters) {
            return page(access, businessId, filters, "locations", queries::locations,
                    v -> Cursor.after("locations", v.name(), v.connectorId(), v.externalId()));
        }

        void requireBusiness(Runnable access, UUID businessId) {
            access.run();
            jdbi.onDemand(BusinessDao.class).require(businessId);
        }

        private <T> Page<T> page(Runnable access, UUID businessId, Filters f, String listing,
                Function<ModelQuery, List<T>> read, Function<T, Cursor> keyOf) {
            int limit = f.paging.limit();
            Cursor cursor = f.paging.cursor(listing, 3);
            boolean includeDeleted = BadRequestException.flag("includeDeleted", f.includeDeleted, false);
            boolean includeRaw = BadRequestException.flag("includeRaw", f.includeRaw, false);
            access.run();
            Instant from = BadRequestException.instant("from", f.from);
            Instant to = BadRequestException.instant("to", f.to);
            if (from != null && to != null && !to.isAfter(from)) {
                throw invalid("to", "must be after from");
            }
            // One row more than asked tells whether another page exists.
            ModelQuery query = new ModelQuery(businessId, f.connector, from, to, includeDeleted, includeRaw,
                    Math.min(limit + 1, ModelQuery.MAX_LIMIT + 1), after(cursor, listing));
            List<T> rows = read.apply(query);
            if (rows.isEmpty()) {
                // Rows prove their business exists (foreign key); only an empty page has to ask, so an unknown
                // business is a 404 and not an empty list, without a query per page for every known one.
                jdbi.onDemand(BusinessDao.class).require(businessId);
            }
            return Page.of(rows, limit, keyOf);
        }
    }

    /** The cursor's keys as the listing's order has them: a start instant first for the time-ranged ones. */
    private static List<Object> after(Cursor cursor, String listing) {
        if (cursor == null) {
            return List.of();
        }
        boolean byStart = listing.equals("appointments") || listing.equals("availability");
        return List.of(byStart ? cursor.instant(0, "cursor") : cursor.text(0), cursor.text(1), cursor.text(2));
    }


    private static ConfigValidationException invalid(String field, String message) {
        return new ConfigValidationException(List.of(new ConfigValidationException.FieldError(field, message)));
    }
}
