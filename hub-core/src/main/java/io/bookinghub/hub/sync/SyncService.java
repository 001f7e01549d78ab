package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.hub.config.SyncConfig;
import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.hub.records.JdbiRecordSink;
import io.bookinghub.hub.records.SoftDeleter;
import io.bookinghub.model.RecordKind;
import io.dropwizard.lifecycle.Managed;
import jakarta.ws.rs.NotFoundException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, executes, cancels and records sync runs.
 *
 * <p>At most one run per connection is RUNNING at a time across every hub process sharing the database:
 * the RUNNING row is the lock (a partial unique index refuses a second one). A process keeps the
 * heartbeat of its runs fresh; a RUNNING row whose heartbeat is older than {@code sync.staleRunAfter}
 * belongs to a dead process and is marked FAILED ("abandoned") before a new run may start. What a run
 * wrote stays written whatever happens to it: every upsert is its own transaction and cursors are saved
 * as soon as the connector reports them, so the next run resumes where the last one stopped.
 *
 * <p>Runs execute on a bounded pool. {@link #stop()} (hub shutdown) makes every run's
 * {@code SyncSink.cancelled()} true, waits {@code sync.shutdownGrace} for them to end as CANCELLED, and
 * then interrupts what is left (those runs are later reaped as abandoned).
 */
public final class SyncService implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    /** Where the service gets connector metadata and live instances from. */
    public interface Connectors {
        /** @throws NotFoundException when no such connector is installed */
        ConnectorDescriptor descriptor(String connectorId);

        /** The live instance for a freshly read connection row. */
        BookingConnector connector(ConnectionRow row);

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
            };
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Ticker ticker;
    private final SyncConfig config;
    private final Connectors connectors;
    private final String runner;
    private final SyncRuns runs;
    private final SoftDeleter softDeleter;
    private final ThreadPoolExecutor executor;
    private final Map<UUID, Active> active = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private ScheduledExecutorService heartbeats;

    /** A run this process accepted; lives until it is finished. */
    private static final class Active {
        final UUID runId;
        final UUID connectionId;
        final UUID businessId;
        final String connectorId;
        final RunMode mode;
        final Instant startedAt;
        final CompletableFuture<SyncRunView> done = new CompletableFuture<>();
        volatile boolean cancelled;
        volatile boolean lost;

        Active(UUID runId, ConnectionRow row, RunMode mode, Instant startedAt) {
            this.runId = runId;
            this.connectionId = row.id();
            this.businessId = row.businessId();
            this.connectorId = row.connectorId();
            this.mode = mode;
            this.startedAt = startedAt;
        }
    }

    public SyncService(Jdbi jdbi, Clock clock, SyncConfig config, Connectors connectors) {
        this(jdbi, clock, Ticker.systemTicker(), config, connectors, ManagementFactory.getRuntimeMXBean().getName());
    }

    /**
     * @param ticker measures the throttling intervals (progress writes, cancel checks)
     * @param runner names this process in the runs it executes
     */
    public SyncService(Jdbi jdbi, Clock clock, Ticker ticker, SyncConfig config, Connectors connectors,
            String runner) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.config = requireNonNull(config, "config is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.runs = new SyncRuns(jdbi);
        this.softDeleter = new SoftDeleter(jdbi, clock);
        this.executor = new ThreadPoolExecutor(config.getThreads(), config.getThreads(), 0L, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.getQueueCapacity()), threads("sync-run-"));
    }

    public SyncRuns runs() {
        return runs;
    }

    /** The business's connection to the connector, or 404. */
    public ConnectionRow connection(UUID businessId, String connectorId) {
        return jdbi.onDemand(ConnectionDao.class).find(businessId, connectorId).orElseThrow(() ->
                new NotFoundException("Business " + businessId + " has no connection to '" + connectorId + "'"));
    }

    /** INCREMENTAL when the connector supports it and a complete FULL run exists to build on, else FULL. */
    public SyncMode defaultMode(ConnectionRow row) {
        ConnectorDescriptor descriptor = connectors.descriptor(row.connectorId());
        return descriptor.supports(Capability.INCREMENTAL_SYNC) && runs.hasCompleteFullRun(row.id())
                ? SyncMode.INCREMENTAL : SyncMode.FULL;
    }

    /**
     * Starts a run in the background.
     *
     * @param trigger who asked, e.g. "admin" or "schedule"
     * @return the RUNNING run
     * @throws ConnectorException CONFLICT when a run of the connection is already running (in any hub
     *                            process) or the connection is disabled; UNSUPPORTED when the connector
     *                            lacks the capability; RATE_LIMITED when this process has too many queued
     * @throws NotFoundException  when the connection or its connector does not exist
     */
    public SyncRunView start(UUID businessId, String connectorId, SyncMode mode, String trigger) {
        return accept(connection(businessId, connectorId), mode, trigger).view;
    }

    /** Like {@link #start}, then waits until the run has finished; returns its final state. */
    public SyncRunView runNow(UUID businessId, String connectorId, SyncMode mode, String trigger) {
        Accepted accepted = accept(connection(businessId, connectorId), mode, trigger);
        try {
            return accepted.active.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.INTERNAL, "interrupted while waiting for run " + accepted.view.id());
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + accepted.view.id() + " did not finish", e.getCause());
        }
    }

    /**
     * Imports an uploaded file through the connection's FILE_IMPORT connector as a run of mode IMPORT, on
     * the calling thread: the upload is the stream, so it cannot wait in a queue. The run takes the
     * connection's one RUNNING slot like a sync, counts, logs skipped rows and reports progress like one,
     * and never soft-deletes. Cancel and shutdown stop it between rows.
     *
     * @param kind    what the file holds, passed to the connector as is (it validates it)
     * @param input   the file; read once by the connector
     * @param dryRun  when true nothing is written (enforced here, whatever the connector does)
     * @param trigger who asked, e.g. "upload"
     * @return the finished run (SUCCEEDED, PARTIAL when rows were skipped, or CANCELLED) and its stages
     * @throws ConnectorException the connector's own error (e.g. INVALID_INPUT for an unknown kind or an
     *                            unreadable file) after the run was recorded FAILED with it; CONFLICT when a
     *                            run of the connection is running or the connection is disabled; UNSUPPORTED
     *                            when the connector cannot import files
     * @throws NotFoundException  when the connection or its connector does not exist
     */
    public ImportResult runImport(UUID businessId, String connectorId, String kind, InputStream input,
            boolean dryRun, String trigger) {
        requireNonNull(input, "input is null");
        ConnectionRow row = connection(businessId, connectorId);
        if (!connectors.descriptor(row.connectorId()).supports(Capability.FILE_IMPORT)) {
            throw ConnectorException.unsupported(row.connectorId(), Capability.FILE_IMPORT);
        }
        Active run = admit(row, RunMode.IMPORT, trigger);
        LOG.info("Import run {} ({}{}, kind {}) started for connection {} by {}", run.runId, row.connectorId(),
                dryRun ? ", dry run" : "", kind, row.id(), trigger);
        SyncRunView result = null;
        try {
            RunSyncSink sink = sink(run);
            ImportSink importSink = new ImportSink(sink, dryRun);
            result = executeImport(run, row, kind, input, dryRun, sink, importSink);
            return new ImportResult(result, importSink.stages());
        } finally {
            active.remove(run.runId);
            if (result == null) {
                result = runs.find(run.connectionId, run.runId).orElse(null);
            }
            run.done.complete(result);
        }
    }

    private SyncRunView executeImport(Active run, ConnectionRow row, String kind, InputStream input, boolean dryRun,
            RunSyncSink sink, ImportSink importSink) {
        if (sink.cancelled()) {
            return finish(run, sink, SyncRunStatus.CANCELLED, null, "cancelled before it started", null);
        }
        try {
            connectors.connector(row).fileImport().importFile(kind, input, dryRun, importSink);
        } catch (ConnectorException e) {
            LOG.warn("Import run {} of {} failed: {}", run.runId, run.connectorId, e.toString());
            failed(run, sink, e.code().name(), e.getMessage());
            // Field errors stay as they are; otherwise the admin learns which run holds the details.
            throw e instanceof ConfigValidationException ? e
                    : new ConnectorException(e.code(), e.getMessage() + " (import run " + run.runId + ")", e);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            LOG.error("Import run {} of {} failed", run.runId, run.connectorId, e);
            failed(run, sink, ErrorCode.INTERNAL.name(), e.getClass().getName());
            throw new ConnectorException(ErrorCode.INTERNAL, "import run " + run.runId + " failed unexpectedly");
        }
        if (sink.stopWanted()) {
            return finish(run, sink, SyncRunStatus.CANCELLED, null, "cancelled; rows before it were "
                    + (dryRun ? "checked" : "imported"), false);
        }
        long skipped = sink.counts().skipped();
        StringBuilder message = new StringBuilder();
        if (dryRun) {
            message.append("dry run, nothing written");
            importSink.stages().values().forEach(p -> message.append("; ").append(p.stage()).append(' ')
                    .append(p.done()).append(p.total() >= 0 ? " of " + p.total() : ""));
        }
        if (skipped > 0) {
            message.append(message.isEmpty() ? "" : "; ").append(skipped)
                    .append(" row(s) skipped, see the run's log");
        }
        return finish(run, sink, skipped > 0 ? SyncRunStatus.PARTIAL : SyncRunStatus.SUCCEEDED, null,
                message.isEmpty() ? null : message.toString(), true);
    }

    /** Starts a run for a row the scheduler claimed. */
    SyncRunView start(ConnectionRow row, SyncMode mode, String trigger) {
        return accept(row, mode, trigger).view;
    }

    private record Accepted(SyncRunView view, Active active) {
    }

    private Accepted accept(ConnectionRow row, SyncMode mode, String trigger) {
        requireNonNull(mode, "mode is null");
        requireNonNull(trigger, "trigger is null");
        if (trigger.isBlank()) {
            throw new IllegalArgumentException("trigger is blank");
        }
        ConnectorDescriptor descriptor = connectors.descriptor(row.connectorId());
        Capability needed = mode == SyncMode.FULL ? Capability.FULL_SYNC : Capability.INCREMENTAL_SYNC;
        if (!descriptor.supports(needed)) {
            throw ConnectorException.unsupported(row.connectorId(), needed);
        }
        Active run = admit(row, RunMode.of(mode), trigger);
        UUID runId = run.runId;
        try {
            executor.execute(() -> execute(run));
        } catch (RejectedExecutionException e) {
            String reason = stopping ? "the hub is shutting down" : "too many syncs queued in this hub process";
            finishWithoutRunning(run, stopping ? SyncRunStatus.CANCELLED : SyncRunStatus.FAILED,
                    stopping ? null : ErrorCode.RATE_LIMITED.name(), reason);
            throw new ConnectorException(stopping ? ErrorCode.CONFLICT : ErrorCode.RATE_LIMITED,
                    reason + "; try again later");
        }
        LOG.info("Sync run {} ({} {}) started for connection {} by {}", runId, mode, row.connectorId(), row.id(),
                trigger);
        return new Accepted(view(run), run);
    }

    /**
     * Records a RUNNING run of the connection and registers it with this process (heartbeats, cancel,
     * shutdown); the caller executes it and must end it through {@link #finish} or {@link #finishWithoutRunning}.
     */
    private Active admit(ConnectionRow row, RunMode mode, String trigger) {
        requireNonNull(trigger, "trigger is null");
        if (trigger.isBlank()) {
            throw new IllegalArgumentException("trigger is blank");
        }
        if (!row.enabled()) {
            throw new ConnectorException(ErrorCode.CONFLICT, "the connection to '" + row.connectorId()
                    + "' is disabled");
        }
        if (stopping) {
            throw new ConnectorException(ErrorCode.CONFLICT, "the hub is shutting down");
        }
        Instant now = clock.instant();
        runs.reapStale(row.id(), now.minus(config.getStaleRunAfter()), now);
        UUID runId = UUID.randomUUID();
        runs.insertRunning(runId, row.id(), mode, trigger, runner, now);
        Active run = new Active(runId, row, mode, now);
        active.put(runId, run);
        return run;
    }

    /** Asks a RUNNING run to stop; it ends as CANCELLED once its connector notices. */
    public SyncRunView cancel(ConnectionRow row, UUID runId) {
        SyncRunView current = run(row, runId);
        if (current.finished()) {
            throw new ConnectorException(ErrorCode.CONFLICT, "run " + runId + " is not running (" + current.status()
                    + ")");
        }
        Active local = active.get(runId);
        if (local != null) {
            local.cancelled = true;
        }
        if (!runs.requestCancel(row.id(), runId)) {
            // It finished between the read and the update.
            return run(row, runId);
        }
        LOG.info("Cancel requested for sync run {}", runId);
        return run(row, runId);
    }

    /** The run of the connection, or 404. */
    public SyncRunView run(ConnectionRow row, UUID runId) {
        return runs.find(row.id(), runId).orElseThrow(() -> new NotFoundException("No sync run " + runId));
    }

    /**
     * Waits up to {@code max} for a run this process executes; returns its current state either way.
     * A run executed by another process is returned as it is now.
     */
    public SyncRunView await(ConnectionRow row, UUID runId, Duration max) {
        Active local = active.get(runId);
        if (local != null) {
            try {
                return local.done.get(max.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // Fall through to the stored state.
            }
        }
        return run(row, runId);
    }

    /** Marks runs of dead processes (stale heartbeat) FAILED, for every connection. */
    public int reapStale() {
        Instant now = clock.instant();
        var reaped = runs.reapStale(null, now.minus(config.getStaleRunAfter()), now);
        reaped.forEach(r -> LOG.warn("Sync run {} of connection {} abandoned: no heartbeat for {}", r.runId(),
                r.connectionId(), config.getStaleRunAfter()));
        return reaped.size();
    }

    /** Refreshes the heartbeat of every run this process holds; runs taken away by another process stop. */
    void heartbeat() {
        if (active.isEmpty()) {
            return;
        }
        Set<UUID> ids = Set.copyOf(active.keySet());
        Set<UUID> alive = runs.heartbeat(ids, clock.instant());
        for (UUID id : ids) {
            Active run = active.get(id);
            if (run != null && !alive.contains(id) && !run.done.isDone()) {
                run.lost = true;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private void execute(Active run) {
        SyncRunView result = null;
        try {
            result = executeRun(run);
        } catch (RuntimeException | Error e) {
            // Bookkeeping itself failed (database down?): the run stays RUNNING until it is reaped.
            LOG.error("Sync run {} could not be recorded", run.runId, e);
        } finally {
            active.remove(run.runId);
            if (result == null) {
                result = runs.find(run.connectionId, run.runId).orElse(null);
            }
            run.done.complete(result);
        }
    }

    private RunSyncSink sink(Active run) {
        return new RunSyncSink(runs,
                new JdbiRecordSink(jdbi, clock, run.businessId, run.connectorId, run.runId), clock, ticker,
                run.runId, run.connectionId, config.getProgressWriteInterval(),
                () -> stopping || run.cancelled || run.lost);
    }

    private SyncRunView executeRun(Active run) {
        RunSyncSink sink = sink(run);
        if (sink.cancelled()) {
            return finish(run, sink, SyncRunStatus.CANCELLED, null, "cancelled before it started", null);
        }
        SyncResult result;
        try {
            ConnectionRow row = jdbi.onDemand(ConnectionDao.class).findById(run.connectionId).orElseThrow(() ->
                    new ConnectorException(ErrorCode.NOT_FOUND, "the connection was deleted"));
            if (!row.enabled()) {
                throw new ConnectorException(ErrorCode.CONFLICT, "the connection was disabled");
            }
            BookingConnector connector = connectors.connector(row);
            result = connector.sync(new SyncRequest(run.runId.toString(), run.mode.syncMode()), sink);
        } catch (ConnectorException e) {
            LOG.warn("Sync run {} of {} failed: {}", run.runId, run.connectorId, e.toString());
            if (e.code() == ErrorCode.AUTH_REQUIRED && run.mode != RunMode.IMPORT) {
                // The provider refuses the credentials: say so where admins look (status, health), and stop
                // the schedule from failing the same way every interval until someone reconnects.
                jdbi.useTransaction(h -> h.attach(ConnectionDao.class).markNeedsReauthorization(run.connectionId,
                        "sync refused: " + e.getMessage(), clock.instant()));
            }
            return failed(run, sink, e.code().name(), e.getMessage());
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            // Unknown exceptions may carry anything in their message: store the class only, log the trace.
            LOG.error("Sync run {} of {} failed", run.runId, run.connectorId, e);
            return failed(run, sink, ErrorCode.INTERNAL.name(), e.getClass().getName());
        }
        if (result == null) {
            return failed(run, sink, ErrorCode.INTERNAL.name(), "connector returned no sync result");
        }
        if (!result.complete()) {
            String message = result.message() == null ? "the connector did not read everything" : result.message();
            return finish(run, sink, sink.stopWanted() ? SyncRunStatus.CANCELLED : SyncRunStatus.PARTIAL, null,
                    message, false);
        }
        long skipped = sink.counts().skipped();
        return finish(run, sink, skipped > 0 ? SyncRunStatus.PARTIAL : SyncRunStatus.SUCCEEDED, null,
                skipped > 0 ? skipped + " provider record(s) skipped, see the run's log" : result.message(), true);
    }

    private SyncRunView failed(Active run, RunSyncSink sink, String code, String message) {
        // A connector interrupted by a cancel or shutdown often surfaces it as an error: it was still a cancel.
        SyncRunStatus status = sink.stopWanted() ? SyncRunStatus.CANCELLED : SyncRunStatus.FAILED;
        SyncRunView view = finish(run, sink, status, code, message, null);
        if (status == SyncRunStatus.FAILED && view != null && view.status() == SyncRunStatus.FAILED
                && code.equals(view.errorCode())) {
            String what = run.mode == RunMode.IMPORT ? "import" : "sync";
            runs.event(run.connectionId, clock.instant(), what + "-failed", what + " run " + run.runId + " failed: "
                    + code + " " + message);
        }
        return view;
    }

    private SyncRunView finish(Active run, RunSyncSink sink, SyncRunStatus status, String code, String message,
            Boolean complete) {
        if (sink.counts().skipped() > RunSyncSink.MAX_LOGGED_SKIPS) {
            runs.log(run.runId, clock.instant(), "WARN", null, null, (sink.counts().skipped()
                    - RunSyncSink.MAX_LOGGED_SKIPS) + " more skipped record(s) not listed");
        }
        boolean softDelete = run.mode == RunMode.FULL && Boolean.TRUE.equals(complete)
                && (status == SyncRunStatus.SUCCEEDED || status == SyncRunStatus.PARTIAL);
        // What a file held says nothing about what the provider has: imports never widen a full sync's soft delete.
        Set<RecordKind> touched = run.mode == RunMode.IMPORT ? null : sink.touchedKinds();
        boolean finished = jdbi.inTransaction(h -> {
            // The lock keeps other processes from reaping the run (and so from starting another one whose
            // seen-marks this soft delete would not know about) until the run is recorded as ended.
            if (!runs.lockRunning(h, run.runId)) {
                return false;
            }
            long deletedNow = 0;
            if (softDelete) {
                Set<RecordKind> kinds = EnumSet.copyOf(runs.knownKinds(h, run.connectionId));
                kinds.addAll(touched);
                kinds.removeAll(sink.kindsWithUnidentifiedSkips());
                sink.skippedIds().forEach((kind, ids) -> runs.markSeen(h, kind, run.businessId, run.connectorId, ids,
                        run.runId));
                if (!kinds.isEmpty()) {
                    Map<RecordKind, Integer> deleted = softDeleter.softDeleteUnseen(run.businessId, run.connectorId,
                            run.runId, kinds, run.startedAt);
                    deletedNow = deleted.values().stream().mapToLong(Integer::longValue).sum();
                }
            }
            SyncCounts c = sink.counts();
            SyncCounts counts = new SyncCounts(c.created(), c.updated(), c.unchanged(), c.stale(),
                    c.deleted() + deletedNow, c.skipped());
            return runs.finish(h, run.runId, new SyncRuns.Finish(status, counts, sink.currentProgress(), code,
                    message, complete, touched), clock.instant());
        });
        if (!finished) {
            LOG.warn("Sync run {} was ended by another hub process (abandoned); its result is dropped", run.runId);
        } else {
            LOG.info("Sync run {} of {} ended {}", run.runId, run.connectorId, status);
        }
        return runs.find(run.connectionId, run.runId).orElse(null);
    }

    private void finishWithoutRunning(Active run, SyncRunStatus status, String code, String message) {
        try {
            jdbi.useTransaction(h -> runs.finish(h, run.runId, new SyncRuns.Finish(status, SyncCounts.ZERO, null, code,
                    message, null, null), clock.instant()));
        } finally {
            active.remove(run.runId);
            run.done.complete(runs.find(run.connectionId, run.runId).orElse(null));
        }
    }

    private SyncRunView view(Active run) {
        return runs.find(run.connectionId, run.runId).orElseThrow();
    }

    // ---------------------------------------------------------------------------------------------------

    @Override
    public synchronized void start() {
        if (heartbeats != null) {
            return;
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(threads("sync-heartbeat-"));
        long every = config.getHeartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
            } catch (RuntimeException e) {
                LOG.warn("Sync heartbeat failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        stopping = true;
        executor.shutdown();
        if (!executor.awaitTermination(config.getShutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Sync runs still busy after {}; interrupting {}", config.getShutdownGrace(), active.keySet());
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        synchronized (this) {
            if (heartbeats != null) {
                heartbeats.shutdownNow();
            }
        }
    }

    /** Completes with the final state of a run this process still executes (for tests and tools). */
    Optional<CompletableFuture<SyncRunView>> completion(UUID runId) {
        return Optional.ofNullable(active.get(runId)).map(a -> a.done);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
