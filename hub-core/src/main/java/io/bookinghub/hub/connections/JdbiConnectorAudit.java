package io.bookinghub.hub.connections;

import io.bookinghub.spi.ConnectorAudit;
import java.time.Clock;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores a connector's outbound calls and events per connection, and mirrors them to the log. */
public final class JdbiConnectorAudit implements ConnectorAudit {
    private static final Logger LOG = LoggerFactory.getLogger("io.bookinghub.spi.audit");
    private static final int MAX_TEXT = 1000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final UUID connectionId;
    private final String connectorId;

    public JdbiConnectorAudit(Jdbi jdbi, Clock clock, UUID connectionId, String connectorId) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.connectionId = connectionId;
        this.connectorId = connectorId;
    }

    @Override
    public void apiCall(ApiCall call) {
        String path = truncate(stripQuery(call.path()));
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_call_log (connection_id, started_at, method, path, status, "
                + "latency_ms, attempt, error) VALUES (:c, :at, :m, :p, :s, :l, :a, :e)")
                .bind("c", connectionId).bind("at", call.startedAt()).bind("m", call.method()).bind("p", path)
                .bind("s", call.status()).bind("l", call.latency().toMillis()).bind("a", call.attempt())
                .bind("e", truncate(call.error())).execute());
        LOG.debug("{} {} {} -> {} in {} ms (attempt {})", connectorId, call.method(), path, call.status(),
                call.latency().toMillis(), call.attempt());
    }

    @Override
    public void event(String type, String message) {
        jdbi.useHandle(h -> h.attach(ConnectionDao.class).insertEvent(connectionId, clock.instant(), truncate(type),
                truncate(message)));
        LOG.info("{} connection {}: {} {}", connectorId, connectionId, type, message);
    }

    // Query strings may carry tokens or codes; the audit keeps paths only.
    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
