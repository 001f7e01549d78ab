package io.bookinghub.hub.appwebhooks;

import static io.bookinghub.hub.appwebhooks.EndpointStore.instant;
import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The outbox's SQL. Claims follow the webhook inbox's pattern ({@code webhooks/WebhookStore}): due rows are locked
 * with {@code FOR UPDATE SKIP LOCKED}, the claim moves {@code next_attempt_at} to the end of a lease and counts the
 * attempt, and a worker finishes a row only while {@code attempts} still equals its claim's (else another worker
 * took it over after the lease ran out). A worker that dies therefore delays its rows by one lease, never loses them.
 */
final class DeliveryStore {
    private static final String COLUMNS = "id, endpoint_id, message_id, event_type, status, attempts, next_attempt_at,"
            + " created_at, finished_at, last_status_code, last_error, replay_of, payload";

    /** A delivery a worker holds: what to send and the claim it must still hold to record the outcome. */
    record Claimed(long id, UUID endpointId, String messageId, String payload, int attempts, Instant createdAt) {
    }

    private final Jdbi jdbi;

    DeliveryStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Adds deliveries on the caller's handle (the fan-out's transaction). */
    static PreparedBatch inserts(Handle h) {
        return h.prepareBatch("INSERT INTO app_webhook_deliveries (endpoint_id, message_id, event_type, ordering_key,"
                + " payload, status, next_attempt_at, created_at) VALUES (:endpoint, :message, :type, :key,"
                + " :payload, 'pending', :now, :now)");
    }

    /**
     * Claims up to {@code limit} due deliveries of active endpoints whose key is not revoked (a revoked app's queued
     * events stay queued, unsent), each the oldest pending one of its endpoint and
     * ordering key (a later event of the same appointment waits until the earlier one is delivered or failed).
     */
    List<Claimed> claim(Instant now, Instant leaseUntil, int limit, String node) {
        return jdbi.withHandle(h -> h.createQuery("WITH due AS (SELECT d.id FROM app_webhook_deliveries d"
                        + " JOIN app_webhook_endpoints e ON e.id = d.endpoint_id AND e.status = 'active'"
                        + " JOIN api_keys k ON k.id = e.owner_key_id AND k.revoked_at IS NULL"
                        + " WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND NOT EXISTS (SELECT 1"
                        + " FROM app_webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id"
                        + " AND p.ordering_key = d.ordering_key AND p.status = 'pending' AND p.id < d.id)"
                        + " ORDER BY d.next_attempt_at, d.id LIMIT :limit FOR UPDATE OF d SKIP LOCKED)"
                        + " UPDATE app_webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = :lease,"
                        + " claimed_by = :node FROM due WHERE d.id = due.id"
                        + " RETURNING d.id, d.endpoint_id, d.message_id, d.payload, d.attempts, d.created_at")
                .bind("now", now).bind("lease", leaseUntil).bind("limit", limit).bind("node", node)
                .map((rs, ctx) -> new Claimed(rs.getLong("id"), rs.getObject("endpoint_id", UUID.class),
                        rs.getString("message_id"), rs.getString("payload"), rs.getInt("attempts"),
                        rs.getTimestamp("created_at").toInstant()))
                .list());
    }

    /**
     * Records an attempt and the delivery's new state on {@code h}, if the claim still holds.
     *
     * @param status        {@code delivered}, {@code failed} or {@code pending} (then due again at {@code nextAttempt})
     * @return false when the lease was lost (nothing written)
     */
    static boolean finish(Handle h, Claimed d, String status, Instant nextAttempt, Integer statusCode, String error,
            Instant attemptedAt, long durationMillis, Instant now) {
        int updated = h.createUpdate("UPDATE app_webhook_deliveries SET status = :status, next_attempt_at = :next,"
                        + " claimed_by = NULL, finished_at = CASE WHEN :status = 'pending' THEN NULL ELSE CAST(:now AS timestamptz) END,"
                        + " last_status_code = :code, last_error = :error"
                        + " WHERE id = :id AND attempts = :attempts AND status = 'pending'")
                .bind("status", status).bind("next", nextAttempt).bind("now", now).bind("code", statusCode)
                .bind("error", error).bind("id", d.id()).bind("attempts", d.attempts()).execute();
        if (updated == 0) {
            return false;
        }
        h.createUpdate("INSERT INTO app_webhook_attempts (delivery_id, attempt, attempted_at, status_code, error,"
                        + " duration_ms) VALUES (:id, :attempt, :at, :code, :error, :ms)")
                .bind("id", d.id()).bind("attempt", d.attempts()).bind("at", attemptedAt).bind("code", statusCode)
                .bind("error", error).bind("ms", (int) Math.min(Integer.MAX_VALUE, durationMillis)).execute();
        return true;
    }

    /** A node that stops cleanly hands its claims back, due now. */
    int release(String node, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE app_webhook_deliveries SET next_attempt_at = :now,"
                        + " claimed_by = NULL WHERE status = 'pending' AND claimed_by = :node AND next_attempt_at > :now")
                .bind("now", now).bind("node", node).execute());
    }

    /** The endpoint's deliveries, newest first, before {@code beforeId} (null: from the newest). */
    List<Delivery> list(UUID endpointId, Long beforeId, String status, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM app_webhook_deliveries"
                        + " WHERE endpoint_id = :endpoint AND (CAST(:before AS bigint) IS NULL OR id < :before)"
                        + " AND (CAST(:status AS text) IS NULL OR status = :status) ORDER BY id DESC LIMIT :limit")
                .bind("endpoint", endpointId).bind("before", beforeId).bind("status", status).bind("limit", limit)
                .map(DeliveryStore::map).list());
    }

    Optional<Delivery> find(UUID endpointId, long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM app_webhook_deliveries"
                        + " WHERE endpoint_id = :endpoint AND id = :id").bind("endpoint", endpointId).bind("id", id)
                .map(DeliveryStore::map).findOne()
                .map(d -> d.withLog(h.createQuery("SELECT attempt, attempted_at, status_code, error, duration_ms"
                                + " FROM app_webhook_attempts WHERE delivery_id = :id ORDER BY attempt").bind("id", id)
                        .map((rs, ctx) -> new Delivery.Attempt(rs.getInt("attempt"),
                                rs.getTimestamp("attempted_at").toInstant(), (Integer) rs.getObject("status_code"),
                                rs.getString("error"), rs.getLong("duration_ms")))
                        .list())));
    }

    /**
     * A manual replay: a new pending delivery with the original's message id and body, queued behind everything the
     * endpoint has pending for the same record. Its signature is made afresh when it is sent.
     */
    Optional<Delivery> replay(UUID endpointId, long id, Instant now) {
        return jdbi.inTransaction(h -> h.createQuery("INSERT INTO app_webhook_deliveries (endpoint_id, message_id,"
                        + " event_type, ordering_key, payload, status, next_attempt_at, created_at, replay_of)"
                        + " SELECT endpoint_id, message_id, event_type, ordering_key, payload, 'pending', :now, :now, id"
                        + " FROM app_webhook_deliveries WHERE endpoint_id = :endpoint AND id = :id RETURNING " + COLUMNS)
                .bind("endpoint", endpointId).bind("id", id).bind("now", now).map(DeliveryStore::map).findOne());
    }

    private static Delivery map(ResultSet rs, StatementContext ctx) throws SQLException {
        String status = rs.getString("status");
        return new Delivery(rs.getLong("id"), rs.getObject("endpoint_id", UUID.class), rs.getString("message_id"),
                rs.getString("event_type"), status, rs.getInt("attempts"),
                status.equals("pending") ? instant(rs.getTimestamp("next_attempt_at")) : null,
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("finished_at")),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"),
                (Long) rs.getObject("replay_of"), rs.getString("payload"), null);
    }
}
