package io.bookinghub.hub.bookings;

import io.bookinghub.hub.api.BadRequestException;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * The app API's two-way booking: free slots, then book, move and cancel in the provider's calendar. Writes need the
 * {@code write} scope and an {@code Idempotency-Key}; availability needs {@code read}.
 */
@Path("/v1/businesses/{businessId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.APP_NAME, Role.BUSINESS_ADMIN_NAME})
public final class BookingResource {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final BookingService service;
    private final Availability availability;

    BookingResource(BookingService service, Availability availability) {
        this.service = service;
        this.availability = availability;
    }

    /**
     * Free slots of the synced model in [from, to) (default: the next 7 days), or with {@code live=true} asked of the
     * provider now (then {@code service} is required and the window at most 31 days).
     */
    @GET
    @Path("/availability")
    public Page<SlotView> availability(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("service") String serviceId, @QueryParam("staff") String staff,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("live") String live,
            @QueryParam("connector") String connector, @BeanParam Paging paging) {
        principal.requireScope(businessId, Scope.READ);
        boolean isLive = BadRequestException.flag("live", live, false);
        Cursor cursor = paging.cursor("availability-v1", 3);
        return availability.search(new Availability.Search(businessId, serviceId, CommandProcessor.anyToNull(staff),
                from, to, connector, isLive, paging.limit(), cursor));
    }

    @POST
    @Path("/appointments")
    public Response create(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @HeaderParam(IDEMPOTENCY_KEY) String key, @NotNull @Valid CreateAppointmentBody body) {
        principal.requireScope(businessId, Scope.WRITE);
        return service.create(principal, businessId, key, body);
    }

    @POST
    @Path("/appointments/{appointmentId}/reschedule")
    public Response reschedule(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("appointmentId") UUID appointmentId, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam("If-Match") String ifMatch, @NotNull @Valid RescheduleBody body) {
        principal.requireScope(businessId, Scope.WRITE);
        return service.reschedule(principal, businessId, appointmentId, key, ifMatch, body);
    }

    @POST
    @Path("/appointments/{appointmentId}/cancel")
    public Response cancel(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("appointmentId") UUID appointmentId, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam("If-Match") String ifMatch, @NotNull @Valid CancelBody body) {
        principal.requireScope(businessId, Scope.WRITE);
        return service.cancel(principal, businessId, appointmentId, key, ifMatch, body);
    }
}
