package io.bookinghub.hub.connections;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.jdbi.v3.core.Jdbi;

/**
 * One gauge per {@link ConnectionStatus}, {@code connections.status.<STATUS>}: how many connections are in
 * it, hub-wide (every node reads the shared database, so every node reports the same numbers). This is
 * where a tenant's problem shows to monitoring, for alerts; the hub's health stays about the hub.
 */
public final class ConnectionStatusGauges {
    static final String PREFIX = "connections.status.";

    private ConnectionStatusGauges() {
    }

    /** Registers a gauge for every status, so a status added to the enum is covered without a change here. */
    public static void register(MetricRegistry metrics, Jdbi jdbi) {
        ConnectionDao dao = jdbi.onDemand(ConnectionDao.class);
        for (ConnectionStatus status : ConnectionStatus.values()) {
            // Read on each scrape: one small grouped count, and never a stale number after a re-authorization.
            metrics.register(PREFIX + status.name(),
                    (Gauge<Long>) () -> dao.countByStatus().getOrDefault(status.name(), 0L));
        }
    }
}
