package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.dropwizard.lifecycle.Managed;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts syncs and executes them on a bounded pool; the {@link RunLedger} records each run's life.
 *
 * <p>{@link #stop()} (hub shutdown) makes every run's {@code SyncSink.cancelled()} true, waits
 * {@code sync.shutdownGrace} for them to end as CANCELLED, and then interrupts what is left (those runs are
 * later reaped as abandoned).
 */
public final class SyncService implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    /** Where the service gets connector metadata and live instances from. */
    public interface Connectors {
        /** @throws ConnectorException NOT_FOUND when no such connector is installed */
        ConnectorDescriptor descriptor(String connectorId);

        /** The live instance for a freshly read connection row, for a short call. */
        BookingConnector connector(ConnectionRow row);

        /** Runs {@code work} with the row's live instance, kept open until {@code work} returns. */
        default <T> T withConnector(ConnectionRow row, Function<BookingConnector, T> work) {
            return work.apply(connector(row));
        }

        static Connectors of(ConnectorInstances instances) {
            requireNonNull(instances, "instances is null");
            return new Connectors() {
                @Override
                public ConnectorDescriptor descriptor(String connectorId) {
                    return instances.installed(connectorId).descriptor();
                }

                @Override
                public BookingConnector connector(ConnectionRow row) {
                    return instances.get(row);
                }

                @Override
                public <T> T withConnector(ConnectionRow row, Function<BookingConnector, T> work) {
                    return instances.use(row, work);
                }
            };
        }
    }

    private final Jdbi jdbi;
    private final SyncConfig config;
    private final Connectors connectors;
    private final RunLedger ledger;
    private final ThreadPoolExecutor executor;

    public SyncService(Jdbi jdbi, SyncConfig config, Connectors connectors, RunLedger ledger) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.config = requireNonNull(config, "config is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.executor = new ThreadPoolExecutor(config.getThreads(), config.getThreads(), 0L, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.getQueueCapacity()), threads("sync-run-"));
    }

    public RunLedger ledger() {
        return ledger;
    }

    /** INCREMENTAL when the connector supports it and a complete FULL run exists to build on, else FULL. */
    public SyncMode defaultMode(ConnectionRow row) {
        ConnectorDescriptor descriptor = connectors.descriptor(row.connectorId());
        return descriptor.supports(Capability.INCREMENTAL_SYNC) && ledger.runs().hasCompleteFullRun(row.id())
                ? SyncMode.INCREMENTAL : SyncMode.FULL;
    }

    /**
     * Starts a run of the connection in the background.
     *
     * @param trigger who asked, e.g. "admin" or "schedule"
     * @return the RUNNING run
     * @throws ConnectorException CONFLICT when a run of the connection is already running (in any hub
     *                            process) or the connection is disabled; UNSUPPORTED when the connector
     *                            lacks the capability; RATE_LIMITED when this process has too many queued;
     *                            NOT_FOUND when its connector is not installed
     */
    public SyncRun start(ConnectionRow row, SyncMode mode, String trigger) {
        return accept(row, mode, trigger).view();
    }

    /** Like {@link #start}, then waits until the run has finished; returns its final state. */
    public SyncRun runNow(ConnectionRow row, SyncMode mode, String trigger) {
        Accepted accepted = accept(row, mode, trigger);
        try {
            return accepted.run().done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.INTERNAL, "interrupted while waiting for run "
                    + accepted.view().id());
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + accepted.view().id() + " did not finish", e.getCause());
        }
    }

    private record Accepted(SyncRun view, RunLedger.Run run) {
    }

    private Accepted accept(ConnectionRow row, SyncMode mode, String trigger) {
        requireNonNull(mode, "mode is null");
        ConnectorDescriptor descriptor = connectors.descriptor(row.connectorId());
        Capability needed = mode == SyncMode.FULL ? Capability.FULL_SYNC : Capability.INCREMENTAL_SYNC;
        if (!descriptor.supports(needed)) {
            throw ConnectorException.unsupported(row.connectorId(), needed);
        }
        RunLedger.Run run = ledger.admit(row, RunKind.of(mode), trigger);
        try {
            executor.execute(() -> execute(run));
        } catch (RejectedExecutionException e) {
            boolean stopping = ledger.stopping();
            String reason = stopping ? "the hub is shutting down" : "too many syncs queued in this hub process";
            ledger.finishWithoutRunning(run, stopping ? SyncRunStatus.CANCELLED : SyncRunStatus.FAILED,
                    stopping ? null : ErrorCode.RATE_LIMITED.name(), reason);
            throw new ConnectorException(stopping ? ErrorCode.CONFLICT : ErrorCode.RATE_LIMITED,
                    reason + "; try again later");
        }
        LOG.info("Sync run {} ({} {}) started for connection {} by {}", run.id(), mode, row.connectorId(),
                row.id(), trigger);
        return new Accepted(ledger.view(run), run);
    }

    private void execute(RunLedger.Run run) {
        SyncRun result = null;
        try {
            result = executeRun(run);
        } catch (RuntimeException | Error e) {
            // Bookkeeping itself failed (database down?): the run stays RUNNING until it is reaped.
            LOG.error("Sync run {} could not be recorded", run.id(), e);
        } finally {
            ledger.release(run, result);
        }
    }

    private SyncRun executeRun(RunLedger.Run run) {
        RunSyncSink sink = ledger.sink(run);
        if (sink.cancelled()) {
            return ledger.finish(run, sink, SyncRunStatus.CANCELLED, null, "cancelled before it started", null);
        }
        SyncResult result;
        try {
            // Read again: the run may have waited in the queue while the connection changed.
            ConnectionRow row = jdbi.onDemand(ConnectionDao.class).findById(run.connectionId()).orElseThrow(() ->
                    new ConnectorException(ErrorCode.NOT_FOUND, "the connection was deleted"));
            if (!row.enabled()) {
                throw new ConnectorException(ErrorCode.CONFLICT, "the connection was disabled");
            }
            result = connectors.withConnector(row,
                    connector -> connector.sync(new SyncRequest(run.id().toString(), run.mode().syncMode()), sink));
        } catch (ConnectorException e) {
            LOG.warn("Sync run {} of {} failed: {}", run.id(), run.connectorId(), e.toString());
            if (e.code() == ErrorCode.AUTH_REQUIRED) {
                // The provider refuses the credentials: say so where admins look (status, health), and stop
                // the schedule from failing the same way every interval until someone reconnects.
                jdbi.useTransaction(h -> h.attach(ConnectionDao.class).markNeedsReauthorization(run.connectionId(),
                        "sync refused: " + e.getMessage(), ledger.now()));
            }
            return ledger.failed(run, sink, e.code().name(), e.getMessage());
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            // Unknown exceptions may carry anything in their message: store the class only, log the trace.
            LOG.error("Sync run {} of {} failed", run.id(), run.connectorId(), e);
            return ledger.failed(run, sink, ErrorCode.INTERNAL.name(), e.getClass().getName());
        }
        if (result == null) {
            return ledger.failed(run, sink, ErrorCode.INTERNAL.name(), "connector returned no sync result");
        }
        if (!result.complete()) {
            String message = result.message() == null ? "the connector did not read everything" : result.message();
            return ledger.finish(run, sink, sink.stopWanted() ? SyncRunStatus.CANCELLED : SyncRunStatus.PARTIAL,
                    null, message, false);
        }
        long skipped = sink.counts().skipped();
        return ledger.finish(run, sink, skipped > 0 ? SyncRunStatus.PARTIAL : SyncRunStatus.SUCCEEDED, null,
                skipped > 0 ? skipped + " provider record(s) skipped, see the run's log" : result.message(), true);
    }

    /** Completes with the final state of a run this process still executes (for tests and tools). */
    Optional<CompletableFuture<SyncRun>> completion(UUID runId) {
        return ledger.completion(runId);
    }

    @Override
    public void start() {
        ledger.start();
    }

    @Override
    public void stop() throws InterruptedException {
        ledger.beginStop();
        executor.shutdown();
        if (!executor.awaitTermination(config.getShutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Sync runs still busy after {}; interrupting {}", config.getShutdownGrace(), ledger.activeRuns());
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        ledger.stopHeartbeats();
    }

    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
