package io.bookinghub.hub.webhooks;

import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.businesses.BusinessDao;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** A business's webhook deliveries; business-admins see only their own business (404 otherwise). */
@Path("/admin/businesses/{businessId}/webhook-events")
@Produces(MediaType.APPLICATION_JSON)
public class BusinessWebhookResource {
    private final WebhookStore store;
    private final BusinessDao businesses;

    BusinessWebhookResource(WebhookStore store, BusinessDao businesses) {
        this.store = store;
        this.businesses = businesses;
    }

    /**
     * A business's deliveries, newest first.
     *
     * @param status one of PENDING, DONE, PARKED, UNROUTED (inbox), DUPLICATE, REFUSED, INVALID (audit)
     * @param from   ISO-8601 instant, inclusive
     * @param to     ISO-8601 instant, exclusive
     */
    @GET
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public Page<WebhookEventView> businessEvents(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("connector") String connector, @QueryParam("status") String status,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @BeanParam Paging paging) {
        principal.requireAccess(businessId);
        businesses.require(businessId);
        return WebhookAdminResource.list(store, businessId, connector, status, from, to, paging);
    }
}
