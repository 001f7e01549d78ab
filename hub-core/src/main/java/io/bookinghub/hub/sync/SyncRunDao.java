package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.connections.ConnectionAuditDao;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The SQL of sync runs: {@code sync_runs}, their logs ({@code sync_logs}) and the resumable cursors ({@code sync_cursors}). */
public final class SyncRunDao {
    static final int MAX_TEXT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_COLUMNS = "r.id, r.connection_id, c.connector_id, r.mode, r.trigger, r.status,"
            + " r.started_at, r.heartbeat_at, r.finished_at, r.created_count, r.updated_count, r.unchanged_count,"
            + " r.stale_count, r.deleted_count, r.skipped_count, r.progress::text AS progress, r.error_code,"
            + " r.error_message, r.cancel_requested, r.complete, r.runner";

    private final Jdbi jdbi;

    public SyncRunDao(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** An abandoned run found by {@link #reapStale}. */
    record Reaped(UUID runId, UUID connectionId) {
    }

    /**
     * Inserts a RUNNING run. The partial unique index allows one RUNNING run per connection, whichever
     * process inserts it, so a concurrent start fails here with CONFLICT.
     */
    void insertRunning(UUID runId, UUID connectionId, RunKind mode, String trigger, String runner, Instant now) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO sync_runs (id, connection_id, mode, trigger, status,"
                            + " started_at, heartbeat_at, runner) VALUES (:id, :c, :mode, :trigger, 'RUNNING',"
                            + " CAST(:now AS timestamptz), CAST(:now AS timestamptz), :runner)")
                    .bind("id", runId).bind("c", connectionId).bind("mode", mode.name()).bind("trigger", trigger)
                    .bind("now", now).bind("runner", runner).execute());
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                String running = runningRun(connectionId).map(UUID::toString).orElse("unknown");
                throw new ConnectorException(ErrorCode.CONFLICT, "a sync is already running: run " + running);
            }
            throw e;
        }
    }

    Optional<UUID> runningRun(UUID connectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM sync_runs WHERE connection_id = :c"
                        + " AND status = 'RUNNING'")
                .bind("c", connectionId).mapTo(UUID.class).findOne());
    }

    /** Marks RUNNING runs without a heartbeat since {@code staleBefore} FAILED; null connection = all. */
    List<Reaped> reapStale(UUID connectionId, Instant staleBefore, Instant now) {
        return jdbi.inTransaction(h -> {
            List<Reaped> reaped = h.createQuery("UPDATE sync_runs SET status = 'FAILED',"
                            + " finished_at = CAST(:now AS timestamptz), error_code = 'INTERNAL',"
                            + " error_message = 'abandoned: hub process stopped'"
                            + " WHERE status = 'RUNNING' AND heartbeat_at < CAST(:stale AS timestamptz)"
                            + (connectionId == null ? "" : " AND connection_id = :c")
                            + " RETURNING id, connection_id")
                    .bind("now", now).bind("stale", staleBefore).bind("c", connectionId)
                    .map((rs, ctx) -> new Reaped(rs.getObject("id", UUID.class),
                            rs.getObject("connection_id", UUID.class)))
                    .list();
            for (Reaped r : reaped) {
                h.attach(ConnectionAuditDao.class).event(r.connectionId(), now, "sync-abandoned", "sync run "
                        + r.runId() + " abandoned: its hub process stopped sending heartbeats");
            }
            return reaped;
        });
    }

    /** Refreshes the heartbeat of runs this process executes; returns those that are still RUNNING. */
    Set<UUID> heartbeat(Collection<UUID> runIds, Instant now) {
        if (runIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbi.withHandle(h -> h.createQuery("UPDATE sync_runs SET heartbeat_at ="
                        + " CAST(:now AS timestamptz) WHERE id = ANY(:ids) AND status = 'RUNNING' RETURNING id")
                .bind("now", now).bindArray("ids", UUID.class, runIds).mapTo(UUID.class).list()));
    }

    /** Run state a sink needs while executing: empty when the run is no longer RUNNING. */
    record Liveness(boolean cancelRequested) {
    }

    /** Writes counters and progress (and a heartbeat); returns the cancel flag, empty if the run is not RUNNING. */
    Optional<Liveness> progress(UUID runId, SyncCounts counts, SyncProgress progress, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("UPDATE sync_runs SET heartbeat_at = CAST(:now AS timestamptz),"
                        + " created_count = :cr, updated_count = :up, unchanged_count = :un, stale_count = :st,"
                        + " deleted_count = :de, skipped_count = :sk,"
                        + " progress = COALESCE(CAST(:progress AS jsonb), progress)"
                        + " WHERE id = :id AND status = 'RUNNING' RETURNING cancel_requested")
                .bind("now", now).bind("id", runId).bind("progress", json(progress))
                .bind("cr", counts.created()).bind("up", counts.updated()).bind("un", counts.unchanged())
                .bind("st", counts.stale()).bind("de", counts.deleted()).bind("sk", counts.skipped())
                .map((rs, ctx) -> new Liveness(rs.getBoolean(1))).findOne());
    }

    Optional<Liveness> liveness(UUID runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT cancel_requested FROM sync_runs WHERE id = :id"
                        + " AND status = 'RUNNING'")
                .bind("id", runId).map((rs, ctx) -> new Liveness(rs.getBoolean(1))).findOne());
    }

    /** The final state of a run. */
    record Finish(SyncRunStatus status, SyncCounts counts, SyncProgress progress, String errorCode,
            String errorMessage, Boolean complete, Set<RecordKind> recordKinds) {
        Finish {
            requireNonNull(status, "status is null");
            requireNonNull(counts, "counts is null");
            if (status == SyncRunStatus.RUNNING) {
                throw new IllegalArgumentException("a finished run cannot be RUNNING");
            }
        }
    }

    /**
     * Ends a run that is still RUNNING, on the caller's handle (so it can share a transaction with the
     * soft delete). False if another process already ended it (reaped as abandoned).
     */
    boolean finish(Handle h, UUID runId, Finish f, Instant now) {
        List<String> kinds = f.recordKinds() == null ? null : f.recordKinds().stream().map(Enum::name).sorted().toList();
        var update = h.createUpdate("UPDATE sync_runs SET status = :status, finished_at = CAST(:now AS timestamptz),"
                        + " heartbeat_at = CAST(:now AS timestamptz), created_count = :cr, updated_count = :up,"
                        + " unchanged_count = :un, stale_count = :st, deleted_count = :de, skipped_count = :sk,"
                        + " progress = COALESCE(CAST(:progress AS jsonb), progress), error_code = :code,"
                        + " error_message = :message, complete = :complete,"
                        + " record_kinds = " + (kinds == null ? "NULL" : "CAST(:kinds AS text[])")
                        + " WHERE id = :id AND status = 'RUNNING'")
                .bind("status", f.status().name()).bind("now", now).bind("id", runId)
                .bind("cr", f.counts().created()).bind("up", f.counts().updated())
                .bind("un", f.counts().unchanged()).bind("st", f.counts().stale())
                .bind("de", f.counts().deleted()).bind("sk", f.counts().skipped())
                .bind("progress", json(f.progress())).bind("code", f.errorCode())
                .bind("message", truncate(f.errorMessage())).bind("complete", f.complete());
        if (kinds != null) {
            update.bindArray("kinds", String.class, kinds);
        }
        return update.execute() > 0;
    }

    /** Locks the run row if it is still RUNNING, so nobody can reap it until the caller's transaction ends. */
    boolean lockRunning(Handle h, UUID runId) {
        return h.createQuery("SELECT id FROM sync_runs WHERE id = :id AND status = 'RUNNING' FOR UPDATE")
                .bind("id", runId).mapTo(UUID.class).findOne().isPresent();
    }

    /** Every record kind earlier syncs of the connection wrote (their union). */
    Set<RecordKind> knownKinds(Handle h, UUID connectionId) {
        List<String> names = h.createQuery("SELECT DISTINCT unnest(record_kinds) FROM sync_runs"
                        + " WHERE connection_id = :c AND record_kinds IS NOT NULL")
                .bind("c", connectionId).mapTo(String.class).list();
        Set<RecordKind> kinds = EnumSet.noneOf(RecordKind.class);
        for (String name : names) {
            try {
                kinds.add(RecordKind.valueOf(name));
            } catch (IllegalArgumentException ignored) {
                // A kind a newer hub version knew about: nothing of it can be soft-deleted here anyway.
            }
        }
        return kinds;
    }

    boolean requestCancel(UUID connectionId, UUID runId) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE sync_runs SET cancel_requested = true WHERE id = :id"
                        + " AND connection_id = :c AND status = 'RUNNING'")
                .bind("id", runId).bind("c", connectionId).execute()) > 0;
    }

    /** Whether a FULL run of the connection ever read everything (the base incremental runs build on). */
    boolean hasCompleteFullRun(UUID connectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM sync_runs WHERE connection_id = :c"
                        + " AND mode = 'FULL' AND complete AND status IN ('SUCCEEDED', 'PARTIAL'))")
                .bind("c", connectionId).mapTo(Boolean.class).one());
    }

    public Optional<SyncRun> find(UUID connectionId, UUID runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + " FROM sync_runs r JOIN connections c"
                        + " ON c.id = r.connection_id WHERE r.id = :id AND r.connection_id = :c")
                .bind("id", runId).bind("c", connectionId).map(SyncRunDao::run).findOne());
    }

    /** Newest first; fetches limit + 1 rows for paging. */
    public List<SyncRun> list(UUID connectionId, Instant afterStartedAt, UUID afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + " FROM sync_runs r JOIN connections c"
                        + " ON c.id = r.connection_id WHERE r.connection_id = :c AND (CAST(:afterAt AS timestamptz)"
                        + " IS NULL OR (r.started_at, r.id) < (:afterAt, :afterId))"
                        + " ORDER BY r.started_at DESC, r.id DESC LIMIT :limit")
                .bind("c", connectionId).bind("afterAt", afterStartedAt).bind("afterId", afterId)
                .bind("limit", limit + 1)
                .map(SyncRunDao::run).list());
    }

    /** Oldest first, after the line {@code afterId} (null: from the first); fetches limit + 1 rows for paging. */
    public List<SyncLogView> logs(UUID runId, Long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, at, level, record_kind, external_id, message"
                        + " FROM sync_logs WHERE sync_run_id = :r AND id > :after ORDER BY id LIMIT :limit")
                .bind("r", runId).bind("after", afterId == null ? 0L : afterId).bind("limit", limit + 1)
                .map((rs, ctx) -> new SyncLogView(rs.getLong("id"), instant(rs, "at"), rs.getString("level"),
                        rs.getString("record_kind"), rs.getString("external_id"), rs.getString("message")))
                .list());
    }

    void log(UUID runId, Instant at, String level, RecordKind kind, String externalId, String message) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sync_logs (sync_run_id, at, level, record_kind, external_id,"
                        + " message) VALUES (:r, CAST(:at AS timestamptz), :level, :kind, :ext, :message)")
                .bind("r", runId).bind("at", at).bind("level", level)
                .bind("kind", kind == null ? null : kind.name()).bind("ext", truncate(externalId))
                .bind("message", truncate(message)).execute());
    }

    Map<String, String> cursors(UUID connectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT resource, cursor FROM sync_cursors WHERE connection_id = :c")
                .bind("c", connectionId)
                .setMapKeyColumn("resource").setMapValueColumn("cursor")
                .collectInto(new GenericType<Map<String, String>>() {
                }));
    }

    void saveCursor(UUID connectionId, String resource, String cursor, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sync_cursors (connection_id, resource, cursor, updated_at)"
                        + " VALUES (:c, :resource, :cursor, CAST(:now AS timestamptz))"
                        + " ON CONFLICT (connection_id, resource) DO UPDATE SET cursor = EXCLUDED.cursor,"
                        + " updated_at = EXCLUDED.updated_at")
                .bind("c", connectionId).bind("resource", resource).bind("cursor", cursor).bind("now", now)
                .execute());
    }

    private static SyncRun run(ResultSet rs, StatementContext ctx) throws SQLException {
        Instant started = instant(rs, "started_at");
        Instant finished = instant(rs, "finished_at");
        Object complete = rs.getObject("complete");
        return new SyncRun(rs.getObject("id", UUID.class), rs.getObject("connection_id", UUID.class),
                rs.getString("connector_id"), RunKind.valueOf(rs.getString("mode")), rs.getString("trigger"),
                SyncRunStatus.valueOf(rs.getString("status")), started, instant(rs, "heartbeat_at"), finished,
                finished == null ? null : finished.toEpochMilli() - started.toEpochMilli(),
                rs.getLong("created_count"), rs.getLong("updated_count"), rs.getLong("unchanged_count"),
                rs.getLong("stale_count"), rs.getLong("deleted_count"), rs.getLong("skipped_count"),
                progress(rs.getString("progress")), rs.getString("error_code"), rs.getString("error_message"),
                rs.getBoolean("cancel_requested"), complete == null ? null : (Boolean) complete,
                rs.getString("runner"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String json(SyncProgress progress) {
        if (progress == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(progress);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SyncProgress progress(String json) {
        if (json == null) {
            return null;
        }
        try {
            var node = JSON.readTree(json);
            return new SyncProgress(node.path("stage").asText(""), node.path("done").asLong(),
                    node.path("total").asLong(-1));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
