package io.bookinghub.hub.webhooks;

import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** SQL of the webhook tables (webhook_log, webhook_inbox) and of the connection look-ups routing needs. */
final class WebhookStore {
    static final int MAX_TEXT = 1000;

    /** One audit row and, for a verified event, the inbox row it wants. */
    record Write(AuditEntry audit, InboxEntry inbox) {
    }

    /** What became of a {@link Write}: the inbox row holding its effect, and whether it already existed. */
    record Written(Long inboxId, boolean duplicate) {
    }

    /** Admin listing filters; null means "any". */
    record Filter(UUID businessId, String connectorId, String status, Instant from, Instant to) {
    }

    private final Jdbi jdbi;

    WebhookStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }

    // Intake ------------------------------------------------------------------------------------------

    /**
     * Writes deliveries inside the caller's transaction. Each table gets one JDBC batch, which the driver
     * sends in one round trip: the group-commit writer's throughput is bounded by round trips, not rows.
     * Inbox rows are inserted in key order, so concurrent writers that share keys take their locks in the
     * same order and cannot deadlock.
     */
    List<Written> write(Handle h, List<Write> writes) {
        // ON CONFLICT waits for a concurrent insert of the same key to commit, so of any number of
        // concurrent copies (also from other hub processes) exactly one inserts.
        PreparedBatch inboxBatch = h.prepareBatch("INSERT INTO webhook_inbox (connector_id, dedup_key, "
                + "business_id, connection_id, event_id, event_type, account_id, occurred_at, payload, status, "
                + "attempts, next_attempt_at, last_error, received_at, trace_parent) VALUES (:connectorId, :dedupKey, "
                + ":businessId, :connectionId, :eventId, :eventType, :accountId, :occurredAt, :payload, "
                + ":status, 0, :receivedAt, :note, :receivedAt, :traceParent) "
                + "ON CONFLICT (connector_id, dedup_key) DO NOTHING");
        List<String> keys = new ArrayList<>();
        List<InboxEntry> entries = writes.stream().map(Write::inbox).filter(Objects::nonNull)
                .sorted(Comparator.comparing(InboxEntry::connectorId).thenComparing(InboxEntry::dedupKey)).toList();
        for (InboxEntry e : entries) {
            inboxBatch.bind("connectorId", e.connectorId()).bind("dedupKey", e.dedupKey())
                    .bind("businessId", e.businessId()).bind("connectionId", e.connectionId())
                    .bind("eventId", e.eventId()).bind("eventType", e.eventType())
                    .bind("accountId", e.accountId()).bind("occurredAt", e.occurredAt())
                    .bind("payload", e.payload()).bind("status", e.status().name())
                    .bind("note", truncate(e.note())).bind("receivedAt", e.receivedAt())
                    .bind("traceParent", e.traceParent()).add();
            keys.add(e.connectorId() + "\n" + e.dedupKey());
        }
        Map<String, Long> inserted = new HashMap<>();
        if (!keys.isEmpty()) {
            inboxBatch.executePreparedBatch("connector_id", "dedup_key", "id")
                    .map((rs, ctx) -> Map.entry(rs.getString(1) + "\n" + rs.getString(2), rs.getLong(3)))
                    .forEach(entry -> inserted.put(entry.getKey(), entry.getValue()));
        }
        // Keys that did not insert already existed (an earlier delivery, or an earlier copy in this batch).
        Map<String, Long> existing = new HashMap<>();
        List<String> missing = keys.stream().filter(k -> !inserted.containsKey(k)).distinct().toList();
        if (!missing.isEmpty()) {
            h.createQuery("SELECT connector_id, dedup_key, id FROM webhook_inbox "
                    + "WHERE connector_id || chr(10) || dedup_key = ANY(:keys)")
                    .bindArray("keys", String.class, missing)
                    .map((rs, ctx) -> Map.entry(rs.getString(1) + "\n" + rs.getString(2), rs.getLong(3)))
                    .forEach(entry -> existing.put(entry.getKey(), entry.getValue()));
        }

        List<Written> result = new ArrayList<>(writes.size());
        Set<String> claimed = new HashSet<>();
        PreparedBatch auditBatch = h.prepareBatch("INSERT INTO webhook_log (connector_id, business_id, "
                + "connection_id, event_id, event_type, signature_outcome, reason, received_at, body_size, outcome, "
                + "http_status, inbox_id) VALUES (:connectorId, :businessId, :connectionId, :eventId, :eventType, "
                + ":signatureOutcome, :reason, :receivedAt, :bodySize, :outcome, :httpStatus, :inboxId)");
        for (Write w : writes) {
            Long inboxId = null;
            boolean duplicate = false;
            AuditEntry audit = w.audit();
            if (w.inbox() != null) {
                String key = w.inbox().connectorId() + "\n" + w.inbox().dedupKey();
                // Of two copies in one batch the first is the delivery, the second its duplicate.
                if (inserted.containsKey(key) && claimed.add(key)) {
                    inboxId = inserted.get(key);
                } else {
                    duplicate = true;
                    inboxId = inserted.containsKey(key) ? inserted.get(key) : existing.get(key);
                    audit = audit.withOutcome(DeliveryOutcome.DUPLICATE);
                }
            }
            auditBatch.bind("connectorId", audit.connectorId()).bind("businessId", audit.businessId())
                    .bind("connectionId", audit.connectionId()).bind("eventId", audit.eventId())
                    .bind("eventType", audit.eventType()).bind("signatureOutcome", audit.signatureOutcome())
                    .bind("reason", audit.reason()).bind("receivedAt", audit.receivedAt())
                    .bind("bodySize", audit.bodySize()).bind("outcome", audit.outcome().name())
                    .bind("httpStatus", audit.httpStatus()).bind("inboxId", inboxId).add();
            result.add(new Written(inboxId, duplicate));
        }
        if (!writes.isEmpty()) {
            auditBatch.execute();
        }
        return result;
    }

    Optional<ConnectionRow> connection(UUID connectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ConnectionDao.COLUMNS + " FROM connections WHERE id = :id")
                .bind("id", connectionId).map(ConstructorMapper.of(ConnectionRow.class)).findOne());
    }

    /** Connections of a connector for a provider account: enabled ones first, then the oldest. */
    List<ConnectionRow> connectionsForAccount(String connectorId, String accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ConnectionDao.COLUMNS + " FROM connections "
                + "WHERE connector_id = :c AND account_id = :a ORDER BY enabled DESC, created_at, id")
                .bind("c", connectorId).bind("a", accountId).map(ConstructorMapper.of(ConnectionRow.class)).list());
    }

    // Workers -----------------------------------------------------------------------------------------

    /**
     * Claims due events, fairly across connections: at most {@code perConnection} of any one connection,
     * oldest first, then the batch is filled by rank (every connection's oldest event before any
     * connection's second). Connections in {@code skip} (held to their cap by the claiming pool) are left
     * out. The claim is its own committed statement: it moves {@code next_attempt_at} to the end of the
     * lease, counts the attempt and stamps the claiming node, so no other worker (in any process) takes the
     * row while the lease runs, and a worker that dies leaves the row to be claimed again once the lease is
     * over or its node is found silent ({@link #releaseStaleNodes}).
     *
     * <p>One index probe per connection (webhook_inbox_due_by_connection) rather than a scan of all due
     * rows, so a flood of one connection's events does not make claiming slower for everyone. Candidates
     * are picked without locks and locked with SKIP LOCKED after re-checking that they are still due: a
     * row another node claimed meanwhile is skipped, not waited for.
     */
    List<InboxRow> claim(Instant now, Instant leaseUntil, int limit, int perConnection, Collection<UUID> skip,
            String nodeId) {
        List<InboxRow> claimed = jdbi.withHandle(h -> h.createQuery("WITH candidates AS ("
                + "SELECT d.id, d.next_attempt_at, row_number() OVER (PARTITION BY c.id "
                + "ORDER BY d.next_attempt_at, d.id) AS rank FROM connections c CROSS JOIN LATERAL ("
                + "SELECT i.id, i.next_attempt_at FROM webhook_inbox i WHERE i.connection_id = c.id "
                + "AND i.status = 'PENDING' AND i.next_attempt_at <= :now ORDER BY i.next_attempt_at, i.id "
                + "LIMIT :perConnection) d WHERE c.id <> ALL(:skip) "
                + "UNION ALL SELECT n.id, n.next_attempt_at, row_number() OVER (ORDER BY n.next_attempt_at, n.id) "
                + "FROM (SELECT id, next_attempt_at FROM webhook_inbox WHERE connection_id IS NULL "
                + "AND status = 'PENDING' AND next_attempt_at <= :now ORDER BY next_attempt_at, id "
                + "LIMIT :perConnection) n), "
                + "picked AS (SELECT id FROM candidates ORDER BY rank, next_attempt_at, id LIMIT :limit), "
                + "due AS (SELECT w.id FROM webhook_inbox w WHERE w.id IN (SELECT id FROM picked) "
                + "AND w.status = 'PENDING' AND w.next_attempt_at <= :now FOR UPDATE SKIP LOCKED) "
                + "UPDATE webhook_inbox i SET attempts = i.attempts + 1, next_attempt_at = :leaseUntil, "
                + "claimed_by = :node FROM due WHERE i.id = due.id RETURNING " + prefixed("i"))
                .bind("now", now).bind("leaseUntil", leaseUntil).bind("limit", limit)
                .bind("perConnection", perConnection).bindArray("skip", UUID.class, skip).bind("node", nodeId)
                .map(ConstructorMapper.of(InboxRow.class)).list()).stream()
                .sorted(Comparator.comparing(InboxRow::id)).toList();
        return roundRobin(claimed);
    }

    /** The rows in turns: each connection's first (oldest) row, then each one's second, and so on. */
    static List<InboxRow> roundRobin(List<InboxRow> rows) {
        Map<UUID, List<InboxRow>> byConnection = new LinkedHashMap<>();
        List<InboxRow> unrouted = new ArrayList<>();
        for (InboxRow row : rows) {
            if (row.connectionId() == null) {
                unrouted.add(row);
            } else {
                byConnection.computeIfAbsent(row.connectionId(), k -> new ArrayList<>()).add(row);
            }
        }
        List<List<InboxRow>> queues = new ArrayList<>(byConnection.values());
        if (!unrouted.isEmpty()) {
            queues.add(unrouted);
        }
        List<InboxRow> out = new ArrayList<>(rows.size());
        for (int turn = 0; out.size() < rows.size(); turn++) {
            for (List<InboxRow> queue : queues) {
                if (turn < queue.size()) {
                    out.add(queue.get(turn));
                }
            }
        }
        return out;
    }

    /**
     * Hands back a claim that was never tried: due now and its attempt uncounted. Does nothing if the
     * claim was finished or has been taken over since.
     */
    void unclaim(long id, int attempts, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_inbox SET attempts = attempts - 1, next_attempt_at = :now, "
                + "claimed_by = NULL WHERE id = :id AND attempts = :attempts AND status = 'PENDING'")
                .bind("now", now).bind("id", id).bind("attempts", attempts).execute());
    }

    // Nodes -------------------------------------------------------------------------------------------

    void heartbeat(String nodeId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO hub_nodes (node_id, started_at, heartbeat_at) "
                + "VALUES (:node, :now, :now) ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at")
                .bind("node", nodeId).bind("now", now).execute());
    }

    /**
     * Makes the claims of nodes silent since {@code staleBefore} due now (attempts stay counted, as after a
     * lease) and forgets those nodes. Any number of nodes may run this at once: a claim is handed back once.
     *
     * @return claims handed back
     */
    int releaseStaleNodes(Instant staleBefore, Instant now) {
        return jdbi.inTransaction(h -> {
            List<String> stale = h.createQuery("DELETE FROM hub_nodes WHERE heartbeat_at < :before RETURNING node_id")
                    .bind("before", staleBefore).mapTo(String.class).list();
            if (stale.isEmpty()) {
                return 0;
            }
            return h.createUpdate("UPDATE webhook_inbox SET next_attempt_at = :now, claimed_by = NULL "
                    + "WHERE status = 'PENDING' AND claimed_by = ANY(:nodes) AND next_attempt_at > :now")
                    .bind("now", now).bindArray("nodes", String.class, stale).execute();
        });
    }

    /** A node that stops cleanly: its remaining claims are due now and it leaves hub_nodes. */
    void leave(String nodeId, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE webhook_inbox SET next_attempt_at = :now, claimed_by = NULL WHERE status = 'PENDING' "
                    + "AND claimed_by = :node AND next_attempt_at > :now").bind("now", now).bind("node", nodeId).execute();
            h.createUpdate("DELETE FROM hub_nodes WHERE node_id = :node").bind("node", nodeId).execute();
        });
    }

    private static String prefixed(String alias) {
        StringBuilder sb = new StringBuilder();
        for (String column : InboxRow.COLUMNS.split(",\\s*")) {
            sb.append(sb.length() == 0 ? "" : ", ").append(alias).append('.').append(column);
        }
        return sb.toString();
    }

    /** Finishes a claimed row; false if the lease was lost (another worker claimed it since). */
    boolean finish(long id, int attempts, InboxStatus status, String error, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_inbox SET status = :status, last_error = :error, "
                + "processed_at = :now WHERE id = :id AND attempts = :attempts AND status = 'PENDING'")
                .bind("status", status.name()).bind("error", truncate(error)).bind("now", now)
                .bind("id", id).bind("attempts", attempts).execute()) == 1;
    }

    /**
     * Runs {@code work} in one transaction on a handle of its own. Not bound to the thread (as
     * {@code jdbi.inTransaction} would be): what a connector does meanwhile through other hub stores (credentials,
     * rate budget) keeps its own transactions and is never rolled back with this one.
     */
    <R> R inOwnTransaction(HandleCallback<R, RuntimeException> work) {
        try (Handle h = jdbi.open()) {
            h.begin();
            R result;
            try {
                result = work.withHandle(h);
            } catch (RuntimeException | Error e) {
                rollbackQuietly(h, e);
                throw e;
            }
            h.commit();
            return result;
        }
    }

    private static void rollbackQuietly(Handle h, Throwable cause) {
        try {
            h.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** A claimed row applied in a group: DONE, with a note when everything it wrote was stale. */
    record Done(long id, int attempts, String note) {
    }

    /**
     * Marks rows DONE in the caller's transaction (the one that applied them), one round trip for all.
     *
     * @return whether each row was still held by its claim (false: the lease was lost and the row is untouched)
     */
    static boolean[] finishAll(Handle h, List<Done> done, Instant now) {
        PreparedBatch batch = h.prepareBatch("UPDATE webhook_inbox SET status = 'DONE', last_error = :error, "
                + "processed_at = :now WHERE id = :id AND attempts = :attempts AND status = 'PENDING'");
        for (Done d : done) {
            batch.bind("error", truncate(d.note())).bind("now", now).bind("id", d.id()).bind("attempts", d.attempts())
                    .add();
        }
        int[] counts = batch.execute();
        boolean[] held = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            held[i] = counts[i] == 1;
        }
        return held;
    }

    boolean retryLater(long id, int attempts, Instant nextAttemptAt, String error) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_inbox SET next_attempt_at = :next, "
                + "last_error = :error, claimed_by = NULL WHERE id = :id AND attempts = :attempts AND status = 'PENDING'")
                .bind("next", nextAttemptAt).bind("error", truncate(error)).bind("id", id)
                .bind("attempts", attempts).execute()) == 1;
    }

    /**
     * Ends a claim early: the row is due again now, for any worker. Does nothing if the claim was
     * finished or has been taken over since. The attempt stays counted.
     */
    void release(long id, int attempts, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_inbox SET next_attempt_at = :now, claimed_by = NULL "
                + "WHERE id = :id "
                + "AND attempts = :attempts AND status = 'PENDING'")
                .bind("now", now).bind("id", id).bind("attempts", attempts).execute());
    }

    /** Binds an event that arrived unrouted to the connection an admin has since enabled. */
    void route(long id, UUID businessId, UUID connectionId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_inbox SET business_id = :b, connection_id = :c WHERE id = :id")
                .bind("b", businessId).bind("c", connectionId).bind("id", id).execute());
    }

    Optional<InboxRow> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + InboxRow.COLUMNS + " FROM webhook_inbox WHERE id = :id")
                .bind("id", id).map(ConstructorMapper.of(InboxRow.class)).findOne());
    }

    /** Puts a parked or unrouted event back in the queue, due now, with a fresh attempt budget. */
    boolean reprocess(long id, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_inbox SET status = 'PENDING', attempts = 0, "
                + "next_attempt_at = :now, processed_at = NULL WHERE id = :id AND status IN ('PARKED', 'UNROUTED')")
                .bind("now", now).bind("id", id).execute()) == 1;
    }

    /** Deletes audit rows and finished inbox rows received before {@code before}; returns rows deleted. */
    int purge(Instant before) {
        return jdbi.inTransaction(h -> h.createUpdate("DELETE FROM webhook_log WHERE received_at < :before")
                .bind("before", before).execute()
                + h.createUpdate("DELETE FROM webhook_inbox WHERE status = 'DONE' AND received_at < :before")
                .bind("before", before).execute());
    }

    // Admin -------------------------------------------------------------------------------------------

    private static final String STATUS_EXPR = "CASE WHEN l.outcome = 'ACCEPTED' THEN COALESCE(i.status, 'ACCEPTED') "
            + "ELSE l.outcome END";

    List<WebhookEventView> list(Filter f, Instant afterReceivedAt, Long afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT l.id, l.inbox_id, l.connector_id, l.business_id, l.connection_id, "
                + "l.event_id, l.event_type, " + STATUS_EXPR + " AS status, l.outcome, l.signature_outcome, l.reason, "
                + "l.http_status, i.attempts, i.last_error, l.received_at, i.processed_at, l.body_size "
                + "FROM webhook_log l LEFT JOIN webhook_inbox i ON i.id = l.inbox_id WHERE true");
        Map<String, Object> args = new LinkedHashMap<>();
        if (f.businessId() != null) {
            sql.append(" AND l.business_id = :businessId");
            args.put("businessId", f.businessId());
        }
        if (f.connectorId() != null) {
            sql.append(" AND l.connector_id = :connectorId");
            args.put("connectorId", f.connectorId());
        }
        if (f.status() != null) {
            sql.append(" AND ").append(STATUS_EXPR).append(" = :status");
            args.put("status", f.status());
        }
        if (f.from() != null) {
            sql.append(" AND l.received_at >= :from");
            args.put("from", f.from());
        }
        if (f.to() != null) {
            sql.append(" AND l.received_at < :to");
            args.put("to", f.to());
        }
        if (afterReceivedAt != null) {
            sql.append(" AND (l.received_at, l.id) < (:afterAt, :afterId)");
            args.put("afterAt", afterReceivedAt);
            args.put("afterId", afterId);
        }
        sql.append(" ORDER BY l.received_at DESC, l.id DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", limit);
            args.forEach(q::bind);
            return q.map(ConstructorMapper.of(WebhookEventView.class)).list();
        });
    }

    /** Inbox events of one connector in one status, and the oldest one's receipt. */
    public record Backlog(String connectorId, String status, long count, Instant oldest) {
    }

    /**
     * Events waiting (PENDING), given up on (PARKED) or not routed (UNROUTED), by connector: every connector that
     * has connections and every status, with 0 (and no oldest) where there is none, so alerts see a 0, not nothing.
     */
    List<Backlog> backlog() {
        return jdbi.withHandle(h -> h.createQuery("SELECT c.connector_id, s.status, count(i.id) AS count, "
                + "min(i.received_at) AS oldest FROM (SELECT DISTINCT connector_id FROM connections) c "
                + "CROSS JOIN (VALUES ('PENDING'), ('PARKED'), ('UNROUTED')) AS s(status) "
                + "LEFT JOIN webhook_inbox i ON i.connector_id = c.connector_id AND i.status = s.status "
                + "GROUP BY c.connector_id, s.status").map(ConstructorMapper.of(Backlog.class)).list());
    }

    WebhookStats stats(Instant since, long refusedNotAudited) {
        return jdbi.withHandle(h -> {
            Map<String, Long> inbox = new TreeMap<>();
            for (InboxStatus s : InboxStatus.values()) {
                inbox.put(s.name(), 0L);
            }
            h.createQuery("SELECT status, count(*) AS n FROM webhook_inbox GROUP BY status").mapToMap().forEach(
                    r -> inbox.put((String) r.get("status"), ((Number) r.get("n")).longValue()));
            Map<String, Long> deliveries = new TreeMap<>();
            for (DeliveryOutcome o : DeliveryOutcome.values()) {
                deliveries.put(o.name(), 0L);
            }
            Map<String, Map<String, Long>> byConnector = new TreeMap<>();
            h.createQuery("SELECT connector_id, outcome, count(*) AS n FROM webhook_log WHERE received_at >= :since "
                    + "GROUP BY connector_id, outcome").bind("since", since).mapToMap().forEach(r -> {
                        long n = ((Number) r.get("n")).longValue();
                        String outcome = (String) r.get("outcome");
                        deliveries.merge(outcome, n, Long::sum);
                        byConnector.computeIfAbsent((String) r.get("connector_id"), k -> new TreeMap<>())
                                .merge(outcome, n, Long::sum);
                    });
            Instant oldest = h.createQuery("SELECT min(received_at) FROM webhook_inbox WHERE status = 'PENDING'")
                    .mapTo(Instant.class).findOne().orElse(null);
            return new WebhookStats(inbox, deliveries, byConnector, refusedNotAudited, oldest);
        });
    }
}
