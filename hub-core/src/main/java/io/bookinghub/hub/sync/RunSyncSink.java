package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import io.bookinghub.hub.model.BatchingRecordSink;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The sink of one sync run. Upserts go to the record store in batches (which stamps them as seen by this run)
 * and are counted as each batch is written; a batch is written at every page boundary ({@code progress},
 * {@code saveCursor}, {@code delete}), when it is full, and by {@link #writePending()} when the run ends; skipped records are logged with the run; progress, counters and a heartbeat are written
 * at most every {@code writeInterval} (or when the stage changes); cursors are read once at the start
 * and saved immediately. Safe for connectors that write from several threads.
 */
public final class RunSyncSink implements SyncSink {
    /** Skipped records listed individually per run; the rest are only counted. */
    static final int MAX_LOGGED_SKIPS = 1000;
    /** Skipped ids remembered per kind to protect them from the soft delete; beyond it the kind is not soft-deleted. */
    static final int MAX_REMEMBERED_SKIPS = 10_000;

    private final SyncRunDao runs;
    private final BatchingRecordSink records;
    private final Clock clock;
    private final Ticker ticker;
    private final UUID runId;
    private final UUID connectionId;
    private final long writeIntervalNanos;
    private final BooleanSupplier stopRequested;
    private final Map<String, String> cursors;

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong warned = new AtomicLong();

    private final Set<RecordKind> touched = ConcurrentHashMap.newKeySet();
    private final Map<RecordKind, Set<String>> skippedIds = new EnumMap<>(RecordKind.class);
    private final Set<RecordKind> unidentifiedSkips = EnumSet.noneOf(RecordKind.class);

    private final Consumer<String> pageEnded;
    private final Object progressLock = new Object();
    private SyncProgress progress;
    private long lastProgressWrite;
    private boolean progressWritten;

    private final Object cancelLock = new Object();
    private volatile boolean cancelSeen;
    private volatile boolean lost;
    private long lastCancelCheck;
    private boolean cancelChecked;

    /**
     * @param records       the record store, stamping rows as seen by {@code runId}
     * @param stopRequested true when this process wants the run to stop (shutdown, local cancel)
     * @param pageEnded     told the stage of each progress report, where one page of the run ends (tracing)
     */
    RunSyncSink(SyncRunDao runs, RecordStore records, Clock clock, Ticker ticker, UUID runId, UUID businessId,
            String connectorId, UUID connectionId, Duration writeInterval, BooleanSupplier stopRequested,
            Consumer<String> pageEnded) {
        this.runs = requireNonNull(runs, "runs is null");
        this.records = requireNonNull(records, "records is null").sinkForRun(businessId, connectorId, runId,
                this::count);
        this.clock = requireNonNull(clock, "clock is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.connectionId = requireNonNull(connectionId, "connectionId is null");
        this.writeIntervalNanos = requireNonNull(writeInterval, "writeInterval is null").toNanos();
        this.stopRequested = requireNonNull(stopRequested, "stopRequested is null");
        this.pageEnded = requireNonNull(pageEnded, "pageEnded is null");
        this.cursors = new ConcurrentHashMap<>(runs.cursors(connectionId));
    }

    @Override
    public UpsertOutcome upsert(Business business) {
        return counted(RecordKind.BUSINESS, () -> records.upsert(business));
    }

    @Override
    public UpsertOutcome upsert(Location location) {
        return counted(RecordKind.LOCATION, () -> records.upsert(location));
    }

    @Override
    public UpsertOutcome upsert(StaffMember staffMember) {
        return counted(RecordKind.STAFF_MEMBER, () -> records.upsert(staffMember));
    }

    @Override
    public UpsertOutcome upsert(Service service) {
        return counted(RecordKind.SERVICE, () -> records.upsert(service));
    }

    @Override
    public UpsertOutcome upsert(Client client) {
        return counted(RecordKind.CLIENT, () -> records.upsert(client));
    }

    @Override
    public UpsertOutcome upsert(Appointment appointment) {
        return counted(RecordKind.APPOINTMENT, () -> records.upsert(appointment));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot slot) {
        return counted(RecordKind.AVAILABILITY_SLOT, () -> records.upsert(slot));
    }

    private UpsertOutcome counted(RecordKind kind, Supplier<UpsertOutcome> write) {
        UpsertOutcome outcome = write.get();
        touched.add(kind);
        return outcome;
    }

    /** Counts a record's outcome once its batch is written. */
    private void count(UpsertOutcome outcome) {
        switch (outcome) {
            case CREATED -> created.incrementAndGet();
            case UPDATED -> updated.incrementAndGet();
            case UNCHANGED -> unchanged.incrementAndGet();
            case STALE -> stale.incrementAndGet();
            case PENDING -> throw new IllegalStateException("a written record cannot be pending");
        }
    }

    /** Writes the upserts not written yet (the run's last page); the run is not over until they are. */
    public void writePending() {
        records.flush();
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        boolean removed = records.delete(kind, externalId);
        touched.add(kind);
        if (removed) {
            deleted.incrementAndGet();
        }
        return removed;
    }

    @Override
    public void skipped(RecordKind kind, String externalId, String reason) {
        requireNonNull(kind, "kind is null");
        touched.add(kind);
        long n = skipped.incrementAndGet();
        synchronized (skippedIds) {
            if (externalId == null || externalId.isBlank()) {
                unidentifiedSkips.add(kind);
            } else {
                Set<String> ids = skippedIds.computeIfAbsent(kind, k -> new HashSet<>());
                if (ids.size() < MAX_REMEMBERED_SKIPS) {
                    ids.add(externalId);
                } else {
                    unidentifiedSkips.add(kind);
                }
            }
        }
        if (n <= MAX_LOGGED_SKIPS) {
            runs.log(runId, clock.instant(), "WARN", kind, externalId,
                    "skipped: " + (reason == null || reason.isBlank() ? "no reason given" : reason));
        }
    }

    // Logged like a skip (same cap), but the record landed: nothing is counted against the run.
    @Override
    public void warning(RecordKind kind, String externalId, String message) {
        requireNonNull(kind, "kind is null");
        if (warned.incrementAndGet() <= MAX_LOGGED_SKIPS) {
            runs.log(runId, clock.instant(), "WARN", kind, externalId,
                    "warning: " + (message == null || message.isBlank() ? "no message given" : message));
        }
    }

    @Override
    public void progress(String stage, long done, long total) {
        requireNonNull(stage, "stage is null");
        // A page boundary: write the page before reporting it (and its counts).
        records.flush();
        pageEnded.accept(stage);
        synchronized (progressLock) {
            boolean stageChanged = progress == null || !progress.stage().equals(stage);
            progress = new SyncProgress(stage, done, total);
            long now = ticker.read();
            if (stageChanged || !progressWritten || now - lastProgressWrite >= writeIntervalNanos) {
                lastProgressWrite = now;
                progressWritten = true;
                flush();
            }
        }
    }

    /** Writes counters and the latest progress now, and picks up the cancel flag on the way. */
    void flush() {
        Optional<SyncRunDao.Liveness> state = runs.progress(runId, counts(), currentProgress(), clock.instant());
        observe(state);
    }

    @Override
    public Optional<String> cursor(String resource) {
        return Optional.ofNullable(cursors.get(requireNonNull(resource, "resource is null")));
    }

    @Override
    public void saveCursor(String resource, String cursor) {
        requireNonNull(resource, "resource is null");
        requireNonNull(cursor, "cursor is null");
        // The cursor covers what was upserted before it: that must be stored first.
        records.flush();
        runs.saveCursor(connectionId, resource, cursor, clock.instant());
        cursors.put(resource, cursor);
    }

    @Override
    public boolean cancelled() {
        if (stopRequested.getAsBoolean() || cancelSeen || lost) {
            return true;
        }
        synchronized (cancelLock) {
            long now = ticker.read();
            if (!cancelChecked || now - lastCancelCheck >= writeIntervalNanos) {
                cancelChecked = true;
                lastCancelCheck = now;
                observe(runs.liveness(runId));
            }
        }
        return cancelSeen || lost || stopRequested.getAsBoolean();
    }

    private void observe(Optional<SyncRunDao.Liveness> state) {
        if (state.isEmpty()) {
            // Another process ended the run (it thought this one dead): stop writing under its name.
            lost = true;
        } else if (state.get().cancelRequested()) {
            cancelSeen = true;
        }
    }

    /** Whether stopping was requested by anyone (admin on any process, shutdown, or the run was taken away). */
    public boolean stopWanted() {
        return cancelSeen || lost || stopRequested.getAsBoolean();
    }

    boolean lost() {
        return lost;
    }

    public SyncCounts counts() {
        return new SyncCounts(created.get(), updated.get(), unchanged.get(), stale.get(), deleted.get(),
                skipped.get());
    }

    void addDeleted(long n) {
        deleted.addAndGet(n);
    }

    SyncProgress currentProgress() {
        synchronized (progressLock) {
            return progress;
        }
    }

    Set<RecordKind> touchedKinds() {
        return touched.isEmpty() ? EnumSet.noneOf(RecordKind.class) : EnumSet.copyOf(touched);
    }

    /** Kinds with a skipped record of unknown id: the soft delete cannot tell which row to keep. */
    Set<RecordKind> kindsWithUnidentifiedSkips() {
        synchronized (skippedIds) {
            return unidentifiedSkips.isEmpty() ? EnumSet.noneOf(RecordKind.class) : EnumSet.copyOf(unidentifiedSkips);
        }
    }

    Map<RecordKind, Set<String>> skippedIds() {
        synchronized (skippedIds) {
            Map<RecordKind, Set<String>> copy = new EnumMap<>(RecordKind.class);
            skippedIds.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
            return copy;
        }
    }
}
