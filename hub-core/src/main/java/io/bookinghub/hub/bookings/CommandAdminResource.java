package io.bookinghub.hub.bookings;

import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.businesses.BusinessDao;
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
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@code /admin/businesses/{businessId}/commands}: the business's booking command log, newest first. */
@Path("/admin/businesses/{businessId}/commands")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.BUSINESS_ADMIN_NAME)
public final class CommandAdminResource {
    private final Jdbi jdbi;
    private final CommandStore store;

    CommandAdminResource(Jdbi jdbi, CommandStore store) {
        this.jdbi = jdbi;
        this.store = store;
    }

    @GET
    public Page<CommandView> list(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @QueryParam("state") String state, @BeanParam Paging paging) {
        principal.requireAccess(businessId);
        CommandState filter = state(state);
        int limit = paging.limit();
        Cursor after = paging.cursor("commands", 2);
        List<CommandRow> rows = store.list(businessId, filter, after == null ? null : after.instant(0, "cursor"),
                after == null ? null : after.uuid(1, "cursor"), limit + 1);
        if (rows.isEmpty()) {
            jdbi.onDemand(BusinessDao.class).require(businessId);
        }
        return Page.of(rows.stream().map(CommandView::of).toList(), limit,
                c -> Cursor.after("commands", c.createdAt(), c.id()));
    }

    @GET
    @Path("/{commandId}")
    public CommandView one(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
            @PathParam("commandId") UUID commandId) {
        principal.requireAccess(businessId);
        return store.find(commandId).filter(c -> c.businessId().equals(businessId)).map(CommandView::of)
                .orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No command " + commandId));
    }

    private static CommandState state(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return CommandState.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw BadRequestException.parameter("state", "must be one of PENDING, SENT, CONFIRMED, REJECTED, UNKNOWN, "
                    + "RECONCILED");
        }
    }
}
