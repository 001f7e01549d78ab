package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import io.bookinghub.hub.connections.ConnectionAuditDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.model.SoftDeleter;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of every run, sync or import, from admission to its recorded end.
 *
 * <p>At most one run per connection is RUNNING at a time across every hub process sharing the database:
 * the RUNNING row is the lock (a partial unique index refuses a second one). This process keeps the
 * heartbeat of its runs fresh; a RUNNING row whose heartbeat is older than {@code sync.staleRunAfter}
 * belongs to a dead process and is marked FAILED ("abandoned") before a new run may start. What a run
 * wrote stays written whatever happens to it: every upsert is its own transaction and cursors are saved as
 * soon as the connector reports them, so the next run resumes where the last one stopped. A complete FULL
 * run ends with the soft delete of what it did not see, in the transaction that records its end.
 *
 * <p>Longer than most classes on purpose: admission, heartbeats, cancel, reaping and the recorded end
 * share one registry of this process's runs and one set of cross-process rules, which are easier to
 * check in one place.
 */
public final class RunLedger {
    private static final Logger LOG = LoggerFactory.getLogger(RunLedger.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Ticker ticker;
    private final SyncConfig config;
    private final RecordStore records;
    private final String runner;
    private final SyncRunDao runs;
    private final SoftDeleter softDeleter;
    private final RunTelemetry telemetry;
    private final Map<UUID, Run> active = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private ScheduledExecutorService heartbeats;

    /** A run this process admitted; lives until it is released. */
    public static final class Run {
        private final UUID runId;
        private final UUID connectionId;
        private final UUID businessId;
        private final String connectorId;
        private final RunKind mode;
        private final Instant startedAt;
        private final CompletableFuture<SyncRun> done = new CompletableFuture<>();
        /** Set by {@link #sink} on the executing thread, ended by {@link #release}. */
        private RunTelemetry.Executing executing;
        private volatile boolean cancelled;
        private volatile boolean lost;

        private Run(UUID runId, ConnectionRow row, RunKind mode, Instant startedAt) {
            this.runId = runId;
            this.connectionId = row.id();
            this.businessId = row.businessId();
            this.connectorId = row.connectorId();
            this.mode = mode;
            this.startedAt = startedAt;
        }

        public UUID id() {
            return runId;
        }

        public UUID connectionId() {
            return connectionId;
        }

        public String connectorId() {
            return connectorId;
        }

        public RunKind mode() {
            return mode;
        }

        /** Completes with the run's final state once it is released. */
        public CompletableFuture<SyncRun> done() {
            return done;
        }
    }

    /**
     * @param ticker measures the throttling intervals of run sinks (progress writes, cancel checks)
     * @param runner names this process in the runs it executes
     */
    public RunLedger(Jdbi jdbi, Clock clock, Ticker ticker, SyncConfig config, RecordStore records, String runner,
            HubMetrics metrics, HubTracing tracing) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.config = requireNonNull(config, "config is null");
        this.records = requireNonNull(records, "records is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.runs = new SyncRunDao(jdbi);
        this.softDeleter = new SoftDeleter(jdbi, clock);
        this.telemetry = new RunTelemetry(metrics, tracing);
    }

    /** The runs, logs and cursors as stored. */
    public SyncRunDao runs() {
        return runs;
    }

    /**
     * Records a RUNNING run of the connection and registers it with this process (heartbeats, cancel,
     * shutdown); the caller executes it, ends it through {@link #finish} or {@link #finishWithoutRunning}
     * and then {@link #release}s it.
     *
     * @throws ConnectorException CONFLICT when the connection is disabled, a run of it is RUNNING in any hub
     *                            process, or this hub is shutting down
     */
    public Run admit(ConnectionRow row, RunKind mode, String trigger) {
        requireNonNull(row, "row is null");
        requireNonNull(mode, "mode is null");
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
        Run run = new Run(runId, row, mode, now);
        active.put(runId, run);
        telemetry.admitted(row.connectorId(), mode);
        return run;
    }

    /** The sink a run's connector writes through: counts, logs skips, saves cursors and notices cancels. */
    public RunSyncSink sink(Run run) {
        // Called by the thread that executes the run, which also releases it: its telemetry spans the two.
        RunTelemetry.Executing executing = telemetry.begin(run);
        run.executing = executing;
        return new RunSyncSink(runs, records, clock, ticker, run.runId, run.businessId, run.connectorId,
                run.connectionId, config.getProgressWriteInterval(),
                () -> stopping || run.cancelled || run.lost, executing::page);
    }

    /** Ends a run as FAILED (or CANCELLED when a stop was wanted) and records a connection event for a failure. */
    public SyncRun failed(Run run, RunSyncSink sink, String code, String message) {
        // A connector interrupted by a cancel or shutdown often surfaces it as an error: it was still a cancel.
        SyncRunStatus status = sink.stopWanted() ? SyncRunStatus.CANCELLED : SyncRunStatus.FAILED;
        SyncRun view = finish(run, sink, status, code, message, null);
        if (status == SyncRunStatus.FAILED && view != null && view.status() == SyncRunStatus.FAILED
                && code.equals(view.errorCode())) {
            String what = run.mode == RunKind.IMPORT ? "import" : "sync";
            jdbi.useExtension(ConnectionAuditDao.class, audit -> audit.event(run.connectionId, clock.instant(),
                    what + "-failed", what + " run " + run.runId + " failed: " + code + " " + message));
        }
        return view;
    }

    /**
     * Records the end of a run that executed; a complete FULL run also soft-deletes what it did not see.
     *
     * @param complete whether the connector read everything (null when it failed)
     * @return the run as stored (null if it vanished)
     */
    public SyncRun finish(Run run, RunSyncSink sink, SyncRunStatus status, String code, String message,
            Boolean complete) {
        try {
            sink.writePending();
        } catch (RuntimeException e) {
            // The last batch did not make it into the database: whatever the connector said, the run is not
            // complete (no soft delete), and it failed unless it had failed already.
            LOG.error("Run {} could not store its last records", run.runId, e);
            if (status != SyncRunStatus.FAILED) {
                return finish(run, sink, SyncRunStatus.FAILED, ErrorCode.INTERNAL.name(),
                        "storing the run's last records failed: " + e.getClass().getName(), null);
            }
            if (complete != null) {
                return finish(run, sink, status, code, message, null);
            }
        }
        if (sink.counts().skipped() > RunSyncSink.MAX_LOGGED_SKIPS) {
            runs.log(run.runId, clock.instant(), "WARN", null, null, (sink.counts().skipped()
                    - RunSyncSink.MAX_LOGGED_SKIPS) + " more skipped record(s) not listed");
        }
        boolean softDelete = run.mode == RunKind.FULL && Boolean.TRUE.equals(complete)
                && (status == SyncRunStatus.SUCCEEDED || status == SyncRunStatus.PARTIAL);
        // What a file held says nothing about what the provider has: imports never widen a full sync's soft delete.
        Set<RecordKind> touched = run.mode == RunKind.IMPORT ? null : sink.touchedKinds();
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
                sink.skippedIds().forEach((kind, ids) -> softDeleter.markSeen(h, kind, run.businessId,
                        run.connectorId, ids, run.runId));
                if (!kinds.isEmpty()) {
                    Map<RecordKind, Integer> deleted = softDeleter.softDeleteUnseen(run.businessId, run.connectorId,
                            run.runId, kinds, run.startedAt);
                    deletedNow = deleted.values().stream().mapToLong(Integer::longValue).sum();
                }
            }
            SyncCounts c = sink.counts();
            SyncCounts counts = new SyncCounts(c.created(), c.updated(), c.unchanged(), c.stale(),
                    c.deleted() + deletedNow, c.skipped());
            return runs.finish(h, run.runId, new SyncRunDao.Finish(status, counts, sink.currentProgress(), code,
                    message, complete, touched), clock.instant());
        });
        if (!finished) {
            LOG.warn("Run {} was ended by another hub process (abandoned); its result is dropped", run.runId);
        } else {
            LOG.info("Run {} ({} of {}) ended {}", run.runId, run.mode, run.connectorId, status);
        }
        return runs.find(run.connectionId, run.runId).orElse(null);
    }

    /** Ends a run that never executed (refused by a full queue or a stopping hub) and releases it. */
    public void finishWithoutRunning(Run run, SyncRunStatus status, String code, String message) {
        try {
            jdbi.useTransaction(h -> runs.finish(h, run.runId, new SyncRunDao.Finish(status, SyncCounts.ZERO, null,
                    code, message, null, null), clock.instant()));
        } finally {
            release(run, null);
        }
    }

    /** Unregisters a run that has ended and completes its {@link Run#done()} with its final state. */
    public void release(Run run, SyncRun result) {
        active.remove(run.runId);
        SyncRun last = result != null ? result : runs.find(run.connectionId, run.runId).orElse(null);
        if (run.executing != null) {
            run.executing.end(last);
        }
        run.done.complete(last);
    }

    /** The run as stored now. */
    public SyncRun view(Run run) {
        return runs.find(run.connectionId, run.runId).orElseThrow();
    }

    /** Asks a RUNNING run to stop; it ends as CANCELLED once its connector notices. */
    public SyncRun cancel(ConnectionRow row, UUID runId) {
        SyncRun current = run(row, runId);
        if (current.finished()) {
            throw new ConnectorException(ErrorCode.CONFLICT, "run " + runId + " is not running (" + current.status()
                    + ")");
        }
        // The stored flag first: a local run that saw its own flag could end before the update, and the
        // answer would then say no cancel was requested although the run ended because of it.
        if (runs.requestCancel(row.id(), runId)) {
            LOG.info("Cancel requested for run {}", runId);
        }
        Run local = active.get(runId);
        if (local != null) {
            local.cancelled = true;
        }
        // Either way (it may have finished between the read and the update) the stored state is the answer.
        return run(row, runId);
    }

    /** The run of the connection. */
    public SyncRun run(ConnectionRow row, UUID runId) {
        return runs.find(row.id(), runId).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND,
                "No sync run " + runId));
    }

    /**
     * Waits up to {@code max} for a run this process executes; returns its current state either way.
     * A run executed by another process is returned as it is now.
     */
    public SyncRun await(ConnectionRow row, UUID runId, Duration max) {
        Run local = active.get(runId);
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

    /** Completes with the final state of a run this process still executes (for tests and tools). */
    Optional<CompletableFuture<SyncRun>> completion(UUID runId) {
        return Optional.ofNullable(active.get(runId)).map(r -> r.done);
    }

    /** Marks runs of dead processes (stale heartbeat) FAILED, for every connection. */
    public int reapStale() {
        Instant now = clock.instant();
        var reaped = runs.reapStale(null, now.minus(config.getStaleRunAfter()), now);
        reaped.forEach(r -> LOG.warn("Run {} of connection {} abandoned: no heartbeat for {}", r.runId(),
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
            Run run = active.get(id);
            if (run != null && !alive.contains(id) && !run.done.isDone()) {
                run.lost = true;
            }
        }
    }

    /** Starts sending heartbeats for this process's runs. */
    synchronized void start() {
        if (heartbeats != null) {
            return;
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(SyncService.threads("sync-heartbeat-"));
        long every = config.getHeartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
            } catch (RuntimeException e) {
                LOG.warn("Sync heartbeat failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** From now on every run's sink reports cancelled and no run is admitted: the hub is shutting down. */
    void beginStop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** The ledger's clock, so callers record related rows at the same time base. */
    Instant now() {
        return clock.instant();
    }

    /** Ids of the runs this process still holds. */
    Set<UUID> activeRuns() {
        return Set.copyOf(active.keySet());
    }

    synchronized void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }
}
