package io.bookinghub.hub.oauth;

import io.bookinghub.hub.metrics.HubMetrics;
import io.prometheus.metrics.core.metrics.Counter;

/** OAuth connect flows by connector: started, completed, and failed by reason. */
final class OAuthMetrics {
    /** The connector label of a callback whose state named no connection: the route's id is caller input. */
    static final String UNKNOWN = "unknown";

    private final Counter flows;

    OAuthMetrics(HubMetrics metrics) {
        this.flows = metrics.counter("hub_oauth_flows", "OAuth connect flows by outcome (started, completed, "
                + "failed) and failure reason", HubMetrics.CONNECTOR, "outcome", "reason");
    }

    void started(String connectorId) {
        flows.labelValues(connectorId, "started", "").inc();
    }

    void completed(String connectorId) {
        flows.labelValues(connectorId, "completed", "").inc();
    }

    void failed(String connectorId, String reason) {
        flows.labelValues(connectorId, "failed", reason).inc();
    }
}
