package io.bookinghub.hub.retention;

import java.time.Instant;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Batched deletes of rows older than a cutoff; each returns how many it deleted (fewer than the batch: done). */
public interface RetentionDao {
    /** Any number, the same on every node: the advisory lock that lets one node at a time run the job. */
    long LOCK_KEY = 734_010L;

    @SqlQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")
    boolean tryLock();

    @SqlQuery("SELECT pg_advisory_unlock(" + LOCK_KEY + ")")
    boolean unlock();

    @SqlUpdate("DELETE FROM api_call_log WHERE id IN "
            + "(SELECT id FROM api_call_log WHERE started_at < :cutoff LIMIT :batch)")
    int deleteApiCalls(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    /** The logs of finished runs first, in batches, so deleting a run never cascades into a huge transaction. */
    @SqlUpdate("DELETE FROM sync_logs WHERE id IN (SELECT l.id FROM sync_logs l JOIN sync_runs r ON r.id = l.sync_run_id "
            + "WHERE r.status <> 'RUNNING' AND r.finished_at < :cutoff LIMIT :batch)")
    int deleteSyncLogs(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    /** Finished runs only (any logs left go with them: ON DELETE CASCADE). */
    @SqlUpdate("DELETE FROM sync_runs WHERE id IN (SELECT id FROM sync_runs "
            + "WHERE status <> 'RUNNING' AND finished_at < :cutoff LIMIT :batch)")
    int deleteSyncRuns(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    @SqlUpdate("DELETE FROM connection_events WHERE id IN "
            + "(SELECT id FROM connection_events WHERE at < :cutoff LIMIT :batch)")
    int deleteConnectionEvents(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    @SqlUpdate("DELETE FROM webhook_inbox WHERE id IN (SELECT id FROM webhook_inbox "
            + "WHERE status IN ('DONE', 'PARKED', 'UNROUTED') AND received_at < :cutoff LIMIT :batch)")
    int deleteWebhookInbox(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    @SqlUpdate("DELETE FROM booking_commands WHERE id IN (SELECT id FROM booking_commands "
            + "WHERE finished_at < :cutoff LIMIT :batch)")
    int deleteBookingCommands(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    /** Ended console sessions; their kept uploads go with them. */
    @SqlUpdate("DELETE FROM console_sessions WHERE token_hash IN (SELECT token_hash FROM console_sessions "
            + "WHERE expires_at <= :cutoff LIMIT :batch)")
    int deleteConsoleSessions(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    /** Files kept for a preview that was never confirmed. */
    @SqlUpdate("DELETE FROM console_uploads WHERE id IN (SELECT id FROM console_uploads "
            + "WHERE expires_at <= :cutoff LIMIT :batch)")
    int deleteConsoleUploads(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    @SqlUpdate("DELETE FROM webhook_log WHERE id IN (SELECT id FROM webhook_log "
            + "WHERE outcome IN ('ACCEPTED', 'DUPLICATE') AND received_at < :cutoff LIMIT :batch)")
    int deleteWebhookAudit(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    @SqlUpdate("DELETE FROM webhook_log WHERE id IN (SELECT id FROM webhook_log "
            + "WHERE outcome IN ('REFUSED', 'INVALID') AND received_at < :cutoff LIMIT :batch)")
    int deleteRefusedWebhookAudit(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    /**
     * Changes older than the cutoff that the app webhook fan-out has passed and that are settled, oldest first; moves
     * the feed's horizon to the last one deleted, in the same statement, so no cursor can skip them unnoticed.
     */
    @SqlQuery("WITH gone AS (DELETE FROM model_changes WHERE (xid, id) IN (SELECT xid, id FROM model_changes"
            + " WHERE changed_at < :cutoff AND (xid, id) <= (SELECT xid, change_id FROM app_webhook_fanout)"
            + " AND xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY xid, id LIMIT :batch) RETURNING xid, id),"
            + " moved AS (UPDATE model_changes_horizon h SET xid = last.xid, change_id = last.id FROM (SELECT xid, id"
            + " FROM gone ORDER BY xid DESC, id DESC LIMIT 1) last WHERE (last.xid, last.id) > (h.xid, h.change_id)"
            + " RETURNING 1) SELECT count(*) FROM gone")
    int deleteChanges(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);

    /** Delivered and failed app webhook deliveries (their attempts go with them: ON DELETE CASCADE). */
    @SqlUpdate("DELETE FROM app_webhook_deliveries WHERE id IN (SELECT id FROM app_webhook_deliveries"
            + " WHERE status <> 'pending' AND finished_at < :cutoff LIMIT :batch)")
    int deleteAppWebhookDeliveries(@Bind("cutoff") Instant cutoff, @Bind("batch") int batch);
}
