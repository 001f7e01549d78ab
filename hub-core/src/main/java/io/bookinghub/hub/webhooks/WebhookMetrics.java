package io.bookinghub.hub.webhooks;

import io.bookinghub.hub.metrics.HubMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Clock;
import java.time.Duration;

/**
 * Webhook intake and inbox metrics, by connector: deliveries by outcome and refusal reason, intake latency, the
 * inbox's backlog (read from the shared database on each scrape, so every node reports the same numbers), claims,
 * applies by outcome and the worker threads alive in this process.
 */
final class WebhookMetrics {
    /** Apply outcomes: applied, applied but stale, to be retried, parked, or without an enabled connection. */
    static final String DONE = "done";
    static final String STALE = "stale";
    static final String RETRY = "retry";
    static final String PARKED = "parked";
    static final String UNROUTED = "unrouted";

    private final Counter deliveries;
    private final Histogram intakeLatency;
    private final Counter claims;
    private final Counter applies;
    private final Gauge workers;

    WebhookMetrics(HubMetrics metrics, WebhookStore store, Clock clock) {
        this.deliveries = metrics.counter("hub_webhook_deliveries", "Webhook events and requests by outcome "
                + "(accepted, duplicate, refused, unavailable) and refusal reason", HubMetrics.CONNECTOR, "outcome",
                "reason");
        this.intakeLatency = metrics.seconds("hub_webhook_intake_seconds", "Webhook intake latency, request read to "
                + "answer (durably stored when accepted)", HubMetrics.CONNECTOR);
        this.claims = metrics.counter("hub_inbox_claims", "Inbox events claimed by workers", HubMetrics.CONNECTOR);
        this.applies = metrics.counter("hub_inbox_applies", "Inbox applies by outcome: done, stale, retry, parked, "
                + "unrouted", HubMetrics.CONNECTOR, "outcome");
        this.workers = metrics.gauge("hub_webhook_workers_alive", "Webhook worker threads running in this process");
        metrics.gauge("hub_inbox_events", "Inbox events by connector and status (hub-wide)",
                callback -> store.backlog().forEach(b -> callback.call(b.count(), b.connectorId(), b.status())),
                HubMetrics.CONNECTOR, "status");
        metrics.gauge("hub_inbox_oldest_pending_seconds", "Age of the oldest PENDING inbox event (hub-wide)",
                callback -> store.backlog().stream().filter(b -> b.status().equals(InboxStatus.PENDING.name()))
                        .forEach(b -> callback.call(b.oldest() == null ? 0
                                : HubMetrics.seconds(Duration.between(b.oldest(), clock.instant())), b.connectorId())),
                HubMetrics.CONNECTOR);
    }

    void delivery(String connectorId, String outcome, String reason, int count) {
        deliveries.labelValues(connectorId, outcome, reason).inc(count);
    }

    void intake(String connectorId, long startedNanos) {
        intakeLatency.labelValues(connectorId).observe((System.nanoTime() - startedNanos) / 1e9);
    }

    void claimed(String connectorId) {
        claims.labelValues(connectorId).inc();
    }

    void applied(String connectorId, String outcome) {
        applies.labelValues(connectorId, outcome).inc();
    }

    void workerStarted() {
        workers.inc();
    }

    void workerStopped() {
        workers.dec();
    }
}
