package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorAudit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a connector's outbound calls and events per connection, and mirrors them to the log.
 *
 * <p>A connection being created has no row yet for its audit rows to point to, but its connector may already
 * call the provider (to verify the account its credentials reach). Such an audit is {@link #deferred}: it
 * holds its rows until {@link #flush} writes them in the transaction that creates the connection.
 */
public final class JdbiConnectorAudit implements ConnectorAudit {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiConnectorAudit.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final UUID connectionId;
    private final String connectorId;
    private final List<Consumer<ConnectionAuditDao>> held = new ArrayList<>();
    private volatile boolean deferring;

    public JdbiConnectorAudit(Jdbi jdbi, Clock clock, UUID connectionId, String connectorId) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.connectionId = requireNonNull(connectionId, "connectionId is null");
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
    }

    /** An audit for a connection whose row does not exist yet: rows are held until {@link #flush}. */
    static JdbiConnectorAudit deferred(Jdbi jdbi, Clock clock, UUID connectionId, String connectorId) {
        JdbiConnectorAudit audit = new JdbiConnectorAudit(jdbi, clock, connectionId, connectorId);
        audit.deferring = true;
        return audit;
    }

    /** Writes the held rows in {@code handle}'s transaction; from then on rows are written at once. */
    void flush(Handle handle) {
        ConnectionAuditDao dao = handle.attach(ConnectionAuditDao.class);
        synchronized (held) {
            held.forEach(write -> write.accept(dao));
            held.clear();
            deferring = false;
        }
    }

    private void write(Consumer<ConnectionAuditDao> write) {
        if (deferring) {
            synchronized (held) {
                if (deferring) {
                    held.add(write);
                    return;
                }
            }
        }
        jdbi.useExtension(ConnectionAuditDao.class, write::accept);
    }

    @Override
    public void apiCall(ApiCall call) {
        String path = ConnectionAuditDao.truncate(stripQuery(call.path()));
        write(dao -> dao.insertApiCall(connectionId, call.startedAt(), call.method(), path, call.status(),
                call.latency().toMillis(), call.attempt(), ConnectionAuditDao.truncate(call.error())));
        LOG.debug("{} {} {} -> {} in {} ms (attempt {})", connectorId, call.method(), path, call.status(),
                call.latency().toMillis(), call.attempt());
    }

    @Override
    public void event(String type, String message) {
        Instant at = clock.instant();
        write(dao -> dao.event(connectionId, at, type, message));
        LOG.info("{} connection {}: {} {}", connectorId, connectionId, type, message);
    }

    // Query strings may carry tokens or codes; the audit keeps paths only.
    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
