package io.bookinghub.hub.tracing;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way the hub makes spans: a tracer named after the hub, W3C trace context ({@code traceparent}) in and
 * out, and a span context kept as text so a webhook's apply can link to its intake across processes. With
 * {@link #noop()} (the default unless OTLP export is configured) every span is a no-op and costs next to nothing.
 */
public final class HubTracing {
    /** The attribute every per-provider span carries: a connector id, never a tenant's. */
    public static final String CONNECTOR = "booking_hub.connector";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    /** Off, a caller's {@code traceparent} is not taken up either: nothing of it is stored or sent on. */
    private final boolean on;
    /** Per connection, the span its current run's work belongs to (see {@link #parentFor}). */
    private final Map<UUID, Context> runs = new ConcurrentHashMap<>();

    public HubTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry is null");
        this.tracer = openTelemetry.getTracer("io.bookinghub.hub");
        this.on = openTelemetry != OpenTelemetry.noop();
    }

    public static HubTracing noop() {
        return new HubTracing(OpenTelemetry.noop());
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** A span of the given kind, a child of the current one. */
    public SpanBuilder span(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setSpanKind(kind);
    }

    /**
     * Declares what a connection's work belongs to while a run of it executes (at most one at a time, across
     * nodes), for calls its connector makes on threads of its own (a prefetching connector's fetch threads), where
     * the run's context is not current. {@code null} forgets it.
     */
    public void runContext(UUID connectionId, Context context) {
        if (context == null) {
            runs.remove(connectionId);
        } else {
            runs.put(connectionId, context);
        }
    }

    /** The parent of a span of the connection's work: the current span, else its run's, else none. */
    public Context parentFor(UUID connectionId) {
        if (Span.current().getSpanContext().isValid() || connectionId == null) {
            return Context.current();
        }
        return runs.getOrDefault(connectionId, Context.current());
    }

    /** The context a request's {@code traceparent} header names, or the root context without a valid one. */
    public Context extract(String traceparent) {
        if (traceparent == null || !on) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP_GETTER);
    }

    /** The current span's W3C {@code traceparent}, to send on or to store; empty when nothing is traced. */
    public static Optional<String> traceparent() {
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.current(), carrier, Map::put);
        return Optional.ofNullable(carrier.get(TRACEPARENT));
    }

    /** A stored {@code traceparent} as a span context to link to; invalid (link ignored) when there is none. */
    public SpanContext linkTarget(String traceparent) {
        return Span.fromContext(extract(traceparent)).getSpanContext();
    }

    /** The header fields the W3C trace context adds to a request, for the current span. */
    public static Map<String, List<String>> traceHeaders() {
        return traceparent().map(value -> Map.of(TRACEPARENT, List.of(value))).orElse(Map.of());
    }
}
