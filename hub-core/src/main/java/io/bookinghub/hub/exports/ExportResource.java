package io.bookinghub.hub.exports;

import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.auth.Scope;
import io.bookinghub.hub.businesses.BusinessDao;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.ZoneId;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code /v1/businesses/{businessId}/exports/...}: a business's live appointments, clients and services as CSV (the
 * headers the CSV import reads back) or NDJSON (one JSON record per line), streamed. Appointments take the
 * window {@code from}/{@code to} (ISO instants; those overlapping it), every export an optional {@code connector}.
 * Parameters and access are checked before the first byte, so a refusal is a JSON error and not a broken file.
 */
@Path("/v1/businesses/{businessId}/exports")
@RolesAllowed({Role.APP_NAME, Role.BUSINESS_ADMIN_NAME})
public final class ExportResource {
    static final String CSV = "text/csv; charset=utf-8";
    static final String NDJSON = "application/x-ndjson";

    private final Jdbi jdbi;
    private final Exports exports;

    ExportResource(Jdbi jdbi, Exports exports) {
        this.jdbi = jdbi;
        this.exports = exports;
    }

    @GET
    @Path("/appointments.csv")
    @Produces(CSV)
    public Response appointmentsCsv(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("connector") String connector) {
        ExportFilter filter = ExportFilter.of(businessId, connector, from, to);
        ZoneId zone = business(principal, businessId);
        return file(exports.csv(ExportTables.APPOINTMENTS, filter, true, zone), "appointments.csv", CSV);
    }

    @GET
    @Path("/appointments.ndjson")
    @Produces(NDJSON)
    public Response appointmentsNdjson(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("connector") String connector) {
        ExportFilter filter = ExportFilter.of(businessId, connector, from, to);
        business(principal, businessId);
        return file(exports.ndjson(ExportTables.APPOINTMENTS, filter, true), "appointments.ndjson", NDJSON);
    }

    @GET
    @Path("/clients.csv")
    @Produces(CSV)
    public Response clientsCsv(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("connector") String connector) {
        ZoneId zone = business(principal, businessId);
        return file(exports.csv(ExportTables.CLIENTS, ExportFilter.of(businessId, connector, null, null), false,
                zone), "clients.csv", CSV);
    }

    @GET
    @Path("/clients.ndjson")
    @Produces(NDJSON)
    public Response clientsNdjson(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("connector") String connector) {
        business(principal, businessId);
        return file(exports.ndjson(ExportTables.CLIENTS, ExportFilter.of(businessId, connector, null, null), false),
                "clients.ndjson", NDJSON);
    }

    @GET
    @Path("/services.csv")
    @Produces(CSV)
    public Response servicesCsv(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("connector") String connector) {
        ZoneId zone = business(principal, businessId);
        return file(exports.csv(ExportTables.SERVICES, ExportFilter.of(businessId, connector, null, null), false,
                zone), "services.csv", CSV);
    }

    @GET
    @Path("/services.ndjson")
    @Produces(NDJSON)
    public Response servicesNdjson(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("connector") String connector) {
        business(principal, businessId);
        return file(exports.ndjson(ExportTables.SERVICES, ExportFilter.of(businessId, connector, null, null), false),
                "services.ndjson", NDJSON);
    }

    /** The business's time zone, after the key's read scope for it is checked (404 for a business it may not see). */
    private ZoneId business(HubPrincipal principal, UUID businessId) {
        principal.requireScope(businessId, Scope.READ);
        return ZoneId.of(jdbi.onDemand(BusinessDao.class).require(businessId).timeZone());
    }

    private static Response file(StreamingOutput body, String name, String type) {
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                // A snapshot of the moment it was asked for; never worth keeping.
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
