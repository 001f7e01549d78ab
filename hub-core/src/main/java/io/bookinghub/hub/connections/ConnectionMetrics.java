package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.RateBudget;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;

/**
 * What the hub sees of a connector's work through the services it hands it, counted per connector: retried
 * provider calls (the audit's attempt numbers), time spent waiting for the shared rate budget, token refreshes
 * (the credential store's {@code update}, which is how every connector refreshes), and connections by status.
 */
final class ConnectionMetrics {
    private final Counter retries;
    private final Histogram limiterWait;
    private final Counter refreshes;

    ConnectionMetrics(HubMetrics metrics, Jdbi jdbi) {
        this.retries = metrics.counter("hub_outbound_retries", "Provider calls that were a connector's retry "
                + "(attempt 2 or later)", HubMetrics.CONNECTOR);
        this.limiterWait = metrics.seconds("hub_rate_limit_wait_seconds", "Time a connector was told to wait for "
                + "the shared rate budget before a provider call", HubMetrics.CONNECTOR);
        this.refreshes = metrics.counter("hub_token_refreshes", "Credential refreshes by outcome: ok, "
                + "invalid_grant (the connection needs re-authorization) or error", HubMetrics.CONNECTOR, "outcome");
        ConnectionDao dao = jdbi.onDemand(ConnectionDao.class);
        // Read from the shared database on each scrape, so every node reports the same hub-wide numbers.
        metrics.gauge("hub_connections", "Connections by connector and status (hub-wide)",
                callback -> dao.countByConnectorAndStatus().forEach(count ->
                        callback.call(count.count(), count.connectorId(), count.status())),
                HubMetrics.CONNECTOR, "status");
    }

    ConnectorAudit audit(String connectorId, ConnectorAudit audit) {
        requireNonNull(audit, "audit is null");
        // Present from the start at 0, so rates and alerts work before the first retry or refresh.
        retries.labelValues(connectorId);
        for (String outcome : new String[] {"ok", "invalid_grant", "error"}) {
            refreshes.labelValues(connectorId, outcome);
        }
        return new ConnectorAudit() {
            @Override
            public void apiCall(ApiCall call) {
                if (call.attempt() > 1) {
                    retries.labelValues(connectorId).inc();
                }
                audit.apiCall(call);
            }

            @Override
            public void event(String type, String message) {
                audit.event(type, message);
            }
        };
    }

    RateBudget rateBudget(String connectorId, RateBudget budget) {
        requireNonNull(budget, "budget is null");
        return (key, limit, permits) -> {
            Duration wait = budget.reserve(key, limit, permits);
            limiterWait.labelValues(connectorId).observe(HubMetrics.seconds(wait));
            return wait;
        };
    }

    CredentialStore credentials(String connectorId, CredentialStore store) {
        requireNonNull(store, "store is null");
        return new CredentialStore() {
            @Override
            public Map<String, String> load() {
                return store.load();
            }

            @Override
            public void save(Map<String, String> credentials) {
                store.save(credentials);
            }

            @Override
            public void clear() {
                store.clear();
            }

            @Override
            public Map<String, String> update(UnaryOperator<Map<String, String>> update) {
                boolean[] changed = {false};
                try {
                    Map<String, String> stored = store.update(current -> {
                        Map<String, String> next = update.apply(current);
                        // Returning what is stored means another caller refreshed already: not a refresh.
                        changed[0] = next != null && !next.equals(current);
                        return next;
                    });
                    if (changed[0]) {
                        refreshes.labelValues(connectorId, "ok").inc();
                    }
                    return stored;
                } catch (ConnectorException e) {
                    refreshes.labelValues(connectorId, e.code() == ErrorCode.AUTH_REQUIRED ? "invalid_grant" : "error")
                            .inc();
                    throw e;
                } catch (RuntimeException e) {
                    refreshes.labelValues(connectorId, "error").inc();
                    throw e;
                }
            }

            @Override
            public void markReauthorizationRequired(String reason) {
                store.markReauthorizationRequired(reason);
            }
        };
    }
}
