package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.connections.ConnectionResource;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectionService;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.sync.SyncMode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * Sync of one business connection: trigger a run, list runs with their counts and errors, show one run with
 * its log, cancel a run.
 *
 * <p>Each section is its own root resource under {@code .../connections/{connectorId}/<section>}: Jersey
 * picks one root resource per request without backtracking, so a root at {@code .../{connectorId}} would
 * swallow the requests meant for {@link ConnectionResource}.
 */
public final class SyncResource {
    static final String CONNECTION = "/admin/businesses/{businessId}/connections/{connectorId}";

    private SyncResource() {
    }

    /** {@code POST .../sync}. */
    @Path(CONNECTION + "/sync")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public static final class Trigger {
        private final ConnectionService connections;
        private final SyncService sync;
        private final SyncConfig config;

        Trigger(ConnectionService connections, SyncService sync, SyncConfig config) {
            this.connections = requireNonNull(connections, "connections is null");
            this.sync = requireNonNull(sync, "sync is null");
            this.config = requireNonNull(config, "config is null");
        }

        /**
         * Starts a run: 202 with the RUNNING run, or with {@code wait=true} 200 with the finished run (202
         * if it is still running after {@code sync.maxWait}). 409 when a run is already running.
         */
        @POST
        public Response start(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @PathParam("connectorId") String connectorId,
                @QueryParam("wait") String waitParam, SyncStartRequest request) {
            boolean wait = BadRequestException.flag("wait", waitParam, false);
            principal.requireAccess(businessId);
            ConnectionRow row = connections.require(businessId, connectorId);
            SyncMode mode = request == null || request.mode() == null ? sync.defaultMode(row) : mode(request.mode());
            SyncRun started = sync.start(row, mode, "admin");
            if (!wait) {
                return Response.accepted(started).build();
            }
            SyncRun now = sync.ledger().await(row, started.id(), config.getMaxWait());
            return (now.finished() ? Response.ok(now) : Response.accepted(now)).build();
        }

        private static SyncMode mode(String text) {
            try {
                // Exactly as documented: "full" is refused rather than quietly read as FULL.
                return SyncMode.valueOf(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(List.of(new ConfigValidationException.FieldError("mode",
                        "must be FULL or INCREMENTAL")));
            }
        }
    }

    /** {@code .../sync-runs}: list, show with log, cancel. */
    @Path(CONNECTION + "/sync-runs")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public static final class Runs {
        private final ConnectionService connections;
        private final RunLedger ledger;

        Runs(ConnectionService connections, RunLedger ledger) {
            this.connections = requireNonNull(connections, "connections is null");
            this.ledger = requireNonNull(ledger, "ledger is null");
        }

        /** Runs of the connection, newest first. */
        @GET
        public Page<SyncRun> list(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @PathParam("connectorId") String connectorId,
                @BeanParam Paging paging) {
            int limit = paging.limit();
            Cursor after = paging.cursor("sync-runs", 2);
            principal.requireAccess(businessId);
            ConnectionRow row = connections.require(businessId, connectorId);
            return Page.of(ledger.runs().list(row.id(), after == null ? null : after.instant(0, "cursor"),
                    after == null ? null : after.uuid(1, "cursor"), limit), limit,
                    r -> Cursor.after("sync-runs", r.startedAt(), r.id()));
        }

        /** One run with a page of its log (skipped records and why), oldest entry first. */
        @GET
        @Path("/{runId}")
        public SyncRunDetail get(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @PathParam("connectorId") String connectorId, @PathParam("runId") UUID runId,
                @QueryParam("logLimit") String logLimitParam, @QueryParam("logCursor") String logCursorParam) {
            Paging log = new Paging("logLimit", logLimitParam, "logCursor", logCursorParam);
            int logLimit = log.limit();
            Cursor logAfter = log.cursor("sync-log", 1);
            principal.requireAccess(businessId);
            ConnectionRow row = connections.require(businessId, connectorId);
            SyncRun run = ledger.run(row, runId);
            return new SyncRunDetail(run, Page.of(ledger.runs().logs(runId,
                    logAfter == null ? null : logAfter.number(0, "logCursor"), logLimit), logLimit,
                    l -> Cursor.after("sync-log", l.id())));
        }

        /** Asks a running run to stop: 202 with the run (it ends CANCELLED shortly); 409 if it is not running. */
        @POST
        @Path("/{runId}/cancel")
        public Response cancel(@Auth HubPrincipal principal, @PathParam("businessId") UUID businessId,
                @PathParam("connectorId") String connectorId, @PathParam("runId") UUID runId) {
            principal.requireAccess(businessId);
            ConnectionRow row = connections.require(businessId, connectorId);
            return Response.accepted(ledger.cancel(row, runId)).build();
        }
    }
}
