package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.tracing.HubTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Map;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * Metrics, spans and log context of ledger runs (syncs and imports alike), by connector and kind: runs started,
 * finished by status, their duration, records by outcome and runs in progress on this node. While a run executes,
 * its thread's log lines carry {@code runId}, {@code connector} and {@code connectionId}, and its work is traced as
 * a run span with one child span per page (a page ends where the connector reports progress).
 */
final class RunTelemetry {
    private final HubTracing tracing;
    private final Counter started;
    private final Counter finished;
    private final Histogram duration;
    private final Counter records;
    private final Gauge running;

    RunTelemetry(HubMetrics metrics, HubTracing tracing) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.started = metrics.counter("hub_sync_runs_started", "Runs started, by connector and kind "
                + "(FULL, INCREMENTAL, IMPORT)", HubMetrics.CONNECTOR, "kind");
        this.finished = metrics.counter("hub_sync_runs_finished", "Runs finished, by connector, kind and status "
                + "(SUCCEEDED, PARTIAL, FAILED, CANCELLED)", HubMetrics.CONNECTOR, "kind", "status");
        this.duration = metrics.seconds("hub_sync_run_seconds", "Run duration, by connector and kind",
                HubMetrics.CONNECTOR, "kind");
        this.records = metrics.counter("hub_sync_records", "Records (rows, for imports) written by runs, by "
                + "outcome: created, updated, unchanged, stale, deleted, skipped", HubMetrics.CONNECTOR, "kind",
                "outcome");
        this.running = metrics.gauge("hub_sync_runs_running", "Runs executing on this node",
                HubMetrics.CONNECTOR, "kind");
    }

    void admitted(String connectorId, RunKind kind) {
        started.labelValues(connectorId, kind.name()).inc();
    }

    /** Starts the telemetry of a run on the thread that executes it; {@link Executing#end} on the same thread. */
    Executing begin(RunLedger.Run run) {
        return new Executing(run);
    }

    /** A run executing on one thread. */
    final class Executing {
        private final String connectorId;
        private final UUID connectionId;
        private final String kind;
        private final Thread thread = Thread.currentThread();
        private final Map<String, String> mdcBefore = MDC.getCopyOfContextMap();
        private final Span span;
        private final Scope scope;
        private Span page;
        private Scope pageScope;
        private int pages;

        private Executing(RunLedger.Run run) {
            this.connectorId = run.connectorId();
            this.connectionId = run.connectionId();
            this.kind = run.mode().name();
            MDC.put("runId", run.id().toString());
            MDC.put("connector", connectorId);
            MDC.put("connectionId", run.connectionId().toString());
            running.labelValues(connectorId, kind).inc();
            this.span = tracing.span(run.mode() == RunKind.IMPORT ? "import run" : "sync run", SpanKind.INTERNAL)
                    .setAttribute(HubTracing.CONNECTOR, connectorId)
                    .setAttribute("booking_hub.run.id", run.id().toString())
                    .setAttribute("booking_hub.run.kind", kind)
                    .startSpan();
            this.scope = span.makeCurrent();
            startPage();
        }

        /** The connector reported progress: the page so far ends and the next one begins. */
        void page(String stage) {
            // Scopes are per thread: a report from another thread (a prefetching connector) names no page.
            if (Thread.currentThread() != thread || page == null) {
                return;
            }
            endPage(stage);
            startPage();
        }

        private void startPage() {
            pages++;
            page = tracing.span("sync page", SpanKind.INTERNAL).setAttribute(HubTracing.CONNECTOR, connectorId)
                    .setAttribute("booking_hub.page", pages).startSpan();
            pageScope = page.makeCurrent();
            tracing.runContext(connectionId, Context.current());
        }

        private void endPage(String stage) {
            if (stage != null) {
                page.setAttribute("booking_hub.stage", stage);
            }
            pageScope.close();
            page.end();
            page = null;
        }

        /** Ends the run's spans and log context and counts its outcome ({@code result} null: not recorded). */
        void end(SyncRun result) {
            if (Thread.currentThread() == thread && page != null) {
                endPage(null);
            }
            tracing.runContext(connectionId, null);
            running.labelValues(connectorId, kind).dec();
            if (result != null) {
                String status = result.status().name();
                finished.labelValues(connectorId, kind, status).inc();
                if (result.durationMs() != null) {
                    duration.labelValues(connectorId, kind).observe(result.durationMs() / 1000.0);
                }
                count("created", result.createdCount());
                count("updated", result.updatedCount());
                count("unchanged", result.unchangedCount());
                count("stale", result.staleCount());
                count("deleted", result.deletedCount());
                count("skipped", result.skippedCount());
                span.setAttribute("booking_hub.run.status", status);
                if (result.status() == SyncRunStatus.FAILED) {
                    span.setStatus(StatusCode.ERROR, String.valueOf(result.errorCode()));
                }
            }
            if (Thread.currentThread() == thread) {
                scope.close();
                if (mdcBefore == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(mdcBefore);
                }
            }
            span.end();
        }

        private void count(String outcome, long n) {
            if (n > 0) {
                records.labelValues(connectorId, kind, outcome).inc(n);
            }
        }
    }
}
