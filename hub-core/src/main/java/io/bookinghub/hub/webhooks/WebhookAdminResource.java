package io.bookinghub.hub.webhooks;

import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Webhook deliveries for admins: every delivery and hub-wide counts (hub-admins), and reprocessing of
 * parked or unrouted events (business-admins for their own business). A business's own listing is
 * {@link BusinessWebhookResource}.
 */
@Path("/admin/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookAdminResource {
    static final Set<String> STATUSES = Set.of("PENDING", "DONE", "PARKED", "UNROUTED", "DUPLICATE", "REFUSED",
            "INVALID");

    /** The event after it was put back in the queue; {@code lastError} is the error that parked it. */
    public record Reprocessed(long inboxId, String status, int attempts, Instant nextAttemptAt, String lastError) {
    }

    private final WebhookStore store;
    private final RefusedAuditLimiter limiter;
    private final Clock clock;

    WebhookAdminResource(WebhookStore store, RefusedAuditLimiter limiter, Clock clock) {
        this.store = store;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** Every delivery, also refused ones that belong to no business. */
    @GET
    @Path("/events")
    @RolesAllowed(Role.HUB_ADMIN_NAME)
    public Page<WebhookEventView> allEvents(@QueryParam("business") UUID businessId,
            @QueryParam("connector") String connector, @QueryParam("status") String status,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @BeanParam Paging paging) {
        return list(store, businessId, connector, status, from, to, paging);
    }

    @GET
    @Path("/stats")
    @RolesAllowed(Role.HUB_ADMIN_NAME)
    public WebhookStats stats() {
        return store.stats(clock.instant().minus(Duration.ofDays(1)), limiter.dropped());
    }

    /**
     * Puts a PARKED or UNROUTED event back in the queue with a fresh attempt budget. 404 for an unknown
     * event or one of another business; 409 for an event in another state.
     */
    @POST
    @Path("/{id}/reprocess")
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public Reprocessed reprocess(@Auth HubPrincipal principal, @PathParam("id") long id) {
        InboxRow row = store.find(id).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No webhook event " + id));
        if (!principal.isHubAdmin() && (row.businessId() == null || !principal.canAccess(row.businessId()))) {
            throw new ConnectorException(ErrorCode.NOT_FOUND, "No webhook event " + id);
        }
        if (!store.reprocess(id, clock.instant())) {
            throw new ClientErrorException("Webhook event " + id + " is " + store.find(id).map(InboxRow::status)
                    .orElse("gone") + "; only PARKED or UNROUTED events can be reprocessed", 409);
        }
        InboxRow now = store.find(id).orElseThrow();
        return new Reprocessed(now.id(), now.status(), now.attempts(), now.nextAttemptAt(), now.lastError());
    }

    static Page<WebhookEventView> list(WebhookStore store, UUID businessId, String connector, String status, String from, String to,
            Paging paging) {
        int limit = paging.limit();
        Cursor after = paging.cursor("webhook-events", 2);
        String normalized = status == null || status.isBlank() ? null : status.trim().toUpperCase(Locale.ROOT);
        if (normalized != null && !STATUSES.contains(normalized)) {
            throw BadRequestException.parameter("status", "must be one of " + STATUSES);
        }
        WebhookStore.Filter filter = new WebhookStore.Filter(businessId, connector == null || connector.isBlank()
                ? null : connector.trim(), normalized, BadRequestException.instant("from", from),
                BadRequestException.instant("to", to));
        return Page.of(store.list(filter, after == null ? null : after.instant(0, "cursor"),
                after == null ? null : after.number(1, "cursor"), limit + 1), limit,
                e -> Cursor.after("webhook-events", e.receivedAt(), e.id()));
    }

}
