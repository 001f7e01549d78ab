package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorAudit;
import java.time.Clock;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores a connector's outbound calls and events per connection, and mirrors them to the log. */
public final class JdbiConnectorAudit implements ConnectorAudit {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiConnectorAudit.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final UUID connectionId;
    private final String connectorId;

    public JdbiConnectorAudit(Jdbi jdbi, Clock clock, UUID connectionId, String connectorId) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.connectionId = requireNonNull(connectionId, "connectionId is null");
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
    }

    @Override
    public void apiCall(ApiCall call) {
        String path = ConnectionAuditDao.truncate(stripQuery(call.path()));
        jdbi.useExtension(ConnectionAuditDao.class, dao -> dao.insertApiCall(connectionId, call.startedAt(),
                call.method(), path, call.status(), call.latency().toMillis(), call.attempt(),
                ConnectionAuditDao.truncate(call.error())));
        LOG.debug("{} {} {} -> {} in {} ms (attempt {})", connectorId, call.method(), path, call.status(),
                call.latency().toMillis(), call.attempt());
    }

    @Override
    public void event(String type, String message) {
        jdbi.useExtension(ConnectionAuditDao.class, dao -> dao.event(connectionId, clock.instant(), type, message));
        LOG.info("{} connection {}: {} {}", connectorId, connectionId, type, message);
    }

    // Query strings may carry tokens or codes; the audit keeps paths only.
    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
