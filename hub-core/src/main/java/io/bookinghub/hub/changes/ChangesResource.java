package io.bookinghub.hub.changes;

import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.auth.Scope;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** {@code GET /v1/businesses/{businessId}/changes?after=&limit=}: the business's change feed (app keys need read). */
@Path("/v1/businesses/{businessId}/changes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.APP_NAME, Role.BUSINESS_ADMIN_NAME})
public final class ChangesResource {
    private final ChangeFeed feed;

    ChangesResource(ChangeFeed feed) {
        this.feed = feed;
    }

    /**
     * A page of changes; 410 for a cursor older than what retention kept (the app missed changes and must read the
     * model afresh, then follow from a new cursor), rather than a page that silently skips them.
     */
    @GET
    public Response changes(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("after") String after, @QueryParam("limit") String limit) {
        principal.requireScope(businessId, Scope.READ);
        // The feed's cursor parameter is 'after' (it names a position, not a page of a listing).
        Paging paging = new Paging("limit", limit, "after", after);
        int size = paging.limit();
        FeedPosition from = FeedPosition.decode("after", after);
        if (!feed.businessExists(businessId)) {
            throw new ConnectorException(ErrorCode.NOT_FOUND, "No business " + businessId);
        }
        if (after != null && !after.isBlank() && from.compareTo(feed.horizon()) < 0) {
            return ErrorBody.of(410, "this cursor is older than the retained change feed: read the records afresh"
                    + " and follow the feed from its start again").response();
        }
        return Response.ok(ChangesPage.of(feed.read(businessId, from, size + 1), size, from)).build();
    }
}
