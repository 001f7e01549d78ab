package io.bookinghub.hub.connections;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/**
 * Healthy whatever state tenants' connections are in, with the counts by status as its message. A
 * connection waiting for re-authorization is that tenant's problem, not this node's: reporting it here would
 * make an orchestrator restart healthy nodes because one business revoked its grant. Each connection shows
 * its own {@code status} and {@code statusReason}, and {@link ConnectionStatusGauges} exposes the counts as
 * metrics to alert on. Only failing to read the counts (the database) makes this check unhealthy.
 */
public final class ConnectionsHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public ConnectionsHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        return Result.healthy("connections by status: " + jdbi.onDemand(ConnectionDao.class).countByStatus());
    }
}
