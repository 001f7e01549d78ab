package io.bookinghub.hub.appwebhooks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookinghub.hub.changes.Change;
import io.bookinghub.hub.changes.ChangeFeed;
import io.bookinghub.hub.changes.FeedPosition;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Turns the change feed into deliveries. One transaction locks the single position row, reads the next settled
 * changes after it, queues a delivery per change and receiving endpoint, and moves the position: the outbox and
 * the position commit together, so each change is fanned out exactly once, whichever node does it (a node that
 * finds the row locked leaves the work to the holder). Endpoints receive the changes fanned out while they are
 * active; an app that needs what came before reads the change feed.
 */
final class Fanout {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Whether the first change after the position is settled; no row when there is no change after it. */
    static final String PENDING = "SELECT n.xid < pg_snapshot_xmin(pg_current_snapshot())"
            + " FROM app_webhook_fanout f, LATERAL (SELECT c.xid FROM model_changes c"
            + " WHERE (c.xid, c.id) > (f.xid, f.change_id) ORDER BY c.xid, c.id LIMIT 1) n";

    private final Jdbi jdbi;
    private final Clock clock;
    private final ChangeFeed feed;
    private final EndpointStore endpoints;
    private final int batchSize;

    Fanout(Jdbi jdbi, Clock clock, ChangeFeed feed, EndpointStore endpoints, int batchSize) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.feed = requireNonNull(feed, "feed is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.batchSize = batchSize;
    }

    /** One step; returns how many changes it consumed (0: nothing new, or another node is fanning out). */
    int step() {
        // Most steps find nothing new: look without a lock first, so that an idle node commits no write transaction
        // (locking the row is a WAL write, and with synchronous_commit a flush) at every poll. The look is the first
        // change after the position, one probe of the feed's primary key: changes are in (xid, id) order, so there is
        // something settled to fan out exactly when that first one is settled. (A join filtering the feed on the
        // position was planned as a scan of every change before it: 3.5 ms per poll at 10,000 changes, 27 ms while
        // a 1,000,000-change backlog drained, at every poll of every node.)
        boolean pending = jdbi.withHandle(h -> h.createQuery(PENDING).mapTo(Boolean.class).findOne().orElse(false));
        if (!pending) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            Optional<FeedPosition> locked = h.createQuery("SELECT xid::text AS xid_text, change_id"
                            + " FROM app_webhook_fanout FOR UPDATE SKIP LOCKED")
                    .map((rs, ctx) -> new FeedPosition(Long.parseLong(rs.getString("xid_text")), rs.getLong("change_id")))
                    .findOne();
            if (locked.isEmpty()) {
                return 0;
            }
            List<Change> changes = feed.readAll(h, locked.get(), batchSize);
            if (changes.isEmpty()) {
                return 0;
            }
            Instant now = clock.instant();
            List<Endpoint> receiving = endpoints.receiving(h);
            PreparedBatch batch = DeliveryStore.inserts(h);
            for (Change c : changes) {
                String payload = null;
                for (Endpoint e : receiving) {
                    if (e.wants(c.businessId(), c.eventType())) {
                        payload = payload != null ? payload : payload(c);
                        batch.bind("endpoint", e.id()).bind("message", messageId(c)).bind("type", c.eventType())
                                .bind("key", c.kind() + ":" + c.id()).bind("payload", payload).bind("now", now).add();
                    }
                }
            }
            if (batch.size() > 0) {
                batch.execute();
            }
            FeedPosition last = changes.get(changes.size() - 1).position();
            h.createUpdate("UPDATE app_webhook_fanout SET xid = CAST(:xid AS xid8), change_id = :id, moved_at = :now")
                    .bind("xid", Long.toString(last.xid())).bind("id", last.id()).bind("now", now).execute();
            return changes.size();
        });
    }

    /** Standard Webhooks' message id: the same on every attempt and replay, so receivers can drop repeats. */
    static String messageId(Change c) {
        return "msg_" + c.position().xid() + "_" + c.position().id();
    }

    /**
     * The Standard Webhooks payload: {@code type}, {@code timestamp} and {@code data}, which names the record (thin,
     * like the feed) and carries the feed cursor right after this change, so an app can resume the feed from it.
     */
    static String payload(Change c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", c.eventType());
        root.put("timestamp", c.changedAt().toString());
        ObjectNode data = root.putObject("data");
        data.put("businessId", c.businessId().toString());
        data.put("kind", c.kind());
        data.put("id", c.id().toString());
        data.put("connectorId", c.connectorId());
        data.put("externalId", c.externalId());
        data.put("operation", c.operation());
        data.put("changedAt", c.changedAt().toString());
        data.put("cursor", c.position().encode());
        return root.toString();
    }
}
