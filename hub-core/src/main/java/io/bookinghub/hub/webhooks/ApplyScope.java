package io.bookinghub.hub.webhooks;

import io.bookinghub.hub.tracing.HubTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.Map;
import org.slf4j.MDC;

/**
 * What one inbox event's processing runs under: its event id, connector and connection in the MDC (so every log
 * line of the apply, the connector's included, names them), and, on the thread that applies it, a span linked to
 * the span of the request that delivered it. Closing restores the thread's MDC as it was.
 */
final class ApplyScope implements AutoCloseable {
    static final String CONNECTOR = "connector";
    static final String CONNECTION_ID = "connectionId";

    private final Map<String, String> before;
    private final Span span;
    private final Scope scope;

    private ApplyScope(InboxRow row, HubTracing tracing) {
        this.before = MDC.getCopyOfContextMap();
        // An event without a provider id is known by its inbox row.
        MDC.put(WebhookIntake.EVENT_ID, row.eventId() != null ? row.eventId() : "inbox:" + row.id());
        MDC.put(CONNECTOR, row.connectorId());
        if (row.connectionId() != null) {
            MDC.put(CONNECTION_ID, row.connectionId().toString());
        }
        if (tracing == null) {
            this.span = null;
            this.scope = null;
            return;
        }
        this.span = tracing.span("webhook apply", SpanKind.CONSUMER)
                .addLink(tracing.linkTarget(row.traceParent()))
                .setAttribute(HubTracing.CONNECTOR, row.connectorId())
                .setAttribute("booking_hub.webhook.event_type", row.eventType())
                .setAttribute("booking_hub.inbox.id", row.id())
                .startSpan();
        this.scope = span.makeCurrent();
    }

    /** The MDC only: the worker thread's handling of a claimed event. */
    static ApplyScope logging(InboxRow row) {
        return new ApplyScope(row, null);
    }

    /** The MDC and the apply's span: the thread that runs the connector's apply. */
    static ApplyScope applying(InboxRow row, HubTracing tracing) {
        return new ApplyScope(row, tracing);
    }

    @Override
    public void close() {
        if (scope != null) {
            scope.close();
            span.end();
        }
        if (before == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(before);
        }
    }
}
