package io.bookinghub.hub.sync;

import com.google.common.base.Ticker;
import io.bookinghub.hub.connections.ConnectionAuditDao;
import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionEventView;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/** Businesses, connections and in-process connectors for sync tests on a real database. */
final class SyncTestSupport {
    static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");

    final Jdbi jdbi;
    final MutableClock clock = new MutableClock(T0);
    final Map<String, TestConnector> connectors = new ConcurrentHashMap<>();

    SyncTestSupport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    TestConnector register(TestConnector connector) {
        connectors.put(connector.descriptor().id(), connector);
        return connector;
    }

    SyncService.Connectors lookup() {
        return new SyncService.Connectors() {
            @Override
            public ConnectorDescriptor descriptor(String connectorId) {
                TestConnector c = connectors.get(connectorId);
                if (c == null) {
                    throw new ConnectorException(ErrorCode.NOT_FOUND, "No connector '" + connectorId + "' is installed");
                }
                return c.descriptor();
            }

            @Override
            public BookingConnector connector(ConnectionRow row) {
                return connectors.get(row.connectorId());
            }
        };
    }

    static SyncConfig config() {
        SyncConfig config = new SyncConfig();
        config.setSchedulerEnabled(false);
        config.setHeartbeatInterval(Duration.ofSeconds(15));
        config.setStaleRunAfter(Duration.ofMinutes(2));
        config.setShutdownGrace(Duration.ofSeconds(20));
        return config;
    }

    /** A service as one hub process would have it; heartbeats are driven by the test, not by a timer. */
    SyncService service(String runner) {
        return service(runner, new SteppingTicker());
    }

    SyncService service(String runner, Ticker ticker) {
        SyncConfig config = config();
        return new SyncService(jdbi, config, lookup(), new RunLedger(jdbi, clock, ticker, config,
                new RecordStore(jdbi, clock), runner, HubMetrics.create(), HubTracing.noop()));
    }

    UUID business() {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO businesses (id, name, time_zone, created_at, updated_at)"
                + " VALUES (:id, 'Salon', 'Europe/Warsaw', :t, :t)").bind("id", id).bind("t", T0).execute());
        return id;
    }

    /** An enabled connection; {@code interval} null means no schedule. */
    UUID connection(UUID businessId, String connectorId, String interval, Instant nextSyncAt) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO connections (id, business_id, connector_id, enabled, status,"
                        + " sync_interval, next_sync_at, created_at, updated_at) VALUES (:id, :b, :c, true, 'ACTIVE',"
                        + " :i, :n, :t, :t)")
                .bind("id", id).bind("b", businessId).bind("c", connectorId).bind("i", interval)
                .bind("n", nextSyncAt).bind("t", T0).execute());
        return id;
    }

    UUID connection(UUID businessId, String connectorId) {
        return connection(businessId, connectorId, null, null);
    }

    /** The stored connection, as a resource would read it before starting a run. */
    ConnectionRow row(UUID businessId, String connectorId) {
        return jdbi.onDemand(ConnectionDao.class).find(businessId, connectorId).orElseThrow(() ->
                new ConnectorException(ErrorCode.NOT_FOUND, "Business " + businessId + " has no connection to '"
                        + connectorId + "'"));
    }

    /** The connection's latest events, newest first. */
    List<ConnectionEventView> events(UUID connectionId) {
        return jdbi.withExtension(ConnectionAuditDao.class, dao -> dao.events(connectionId, null, null, 10));
    }

    long count(String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }
}
