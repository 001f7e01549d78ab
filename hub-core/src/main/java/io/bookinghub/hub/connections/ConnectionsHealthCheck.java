package io.bookinghub.hub.connections;

import com.codahale.metrics.health.HealthCheck;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Unhealthy while any connection waits for an admin to re-authorize it. */
public final class ConnectionsHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public ConnectionsHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        Map<String, Long> counts = jdbi.onDemand(ConnectionDao.class).countByStatus();
        long reauth = counts.getOrDefault(ConnectionStatus.NEEDS_REAUTHORIZATION.name(), 0L);
        return reauth == 0 ? Result.healthy("connections by status: " + counts)
                : Result.unhealthy(reauth + " connection(s) need re-authorization");
    }
}
