package io.bookinghub.hub.outbound;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Each connector's view of the one outbound client: the same transport and policy, with every call counted
 * (by connector and status class), timed, and traced as a client span whose W3C trace context goes out in a
 * {@code traceparent} header. Retries and limiter waits are the connector's; the hub sees them through the
 * audit and the rate budget it hands the connector, and counts them there.
 */
public final class ProviderCalls {
    private final OutboundHttp transport;
    private final HubTracing tracing;
    private final Counter calls;
    private final Counter throttled;
    private final Histogram latency;

    public ProviderCalls(OutboundHttp transport, HubMetrics metrics, HubTracing tracing) {
        this.transport = requireNonNull(transport, "transport is null");
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.calls = metrics.counter("hub_outbound_requests", "Provider calls by connector and status class "
                + "(2xx, 3xx, 4xx, 5xx, or error when no response arrived)", HubMetrics.CONNECTOR, "status_class");
        this.throttled = metrics.counter("hub_outbound_throttled", "Provider calls answered 429 Too Many Requests",
                HubMetrics.CONNECTOR);
        this.latency = metrics.seconds("hub_outbound_request_seconds", "Provider call latency, send to last byte",
                HubMetrics.CONNECTOR);
    }


    /**
     * The one client itself (the same policy, caps and pool) for the hub's own calls that are not provider calls,
     * such as deliveries to apps' webhook endpoints: they are counted by their own feature, not as a connector's.
     */
    public OutboundHttp transport() {
        return transport;
    }

    /** What one connection's connector context hands it as {@code http()}. */
    public OutboundHttp forConnection(String connectorId, UUID connectionId) {
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(connectionId, "connectionId is null");
        // Present from the start at 0, so rates and alerts work before the first 429.
        throttled.labelValues(connectorId);
        return request -> send(connectorId, connectionId, request);
    }

    private OutboundResponse send(String connectorId, UUID connectionId, OutboundRequest request)
            throws IOException {
        Span span = tracing.span("HTTP " + request.method(), SpanKind.CLIENT)
                .setParent(tracing.parentFor(connectionId))
                .setAttribute(HubTracing.CONNECTOR, connectorId)
                .setAttribute("http.request.method", request.method())
                .setAttribute("server.address", request.uri().getHost())
                .startSpan();
        long started = System.nanoTime();
        String statusClass = "error";
        try (Scope ignored = span.makeCurrent()) {
            OutboundResponse response = transport.send(withTraceContext(request));
            statusClass = (response.status() / 100) + "xx";
            span.setAttribute("http.response.status_code", response.status());
            if (response.status() == 429) {
                throttled.labelValues(connectorId).inc();
            }
            if (response.status() >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            return response;
        } catch (IOException | RuntimeException e) {
            // The class only: an exception's message may carry the URL, and URLs may carry credentials.
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            latency.labelValues(connectorId).observe((System.nanoTime() - started) / 1e9);
            calls.labelValues(connectorId, statusClass).inc();
            span.end();
        }
    }

    private static OutboundRequest withTraceContext(OutboundRequest request) {
        Map<String, List<String>> trace = HubTracing.traceHeaders();
        if (trace.isEmpty()) {
            return request;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.putAll(trace);
        return new OutboundRequest(request.method(), request.uri(), headers, request.body(), request.connectTimeout(),
                request.timeout());
    }
}
