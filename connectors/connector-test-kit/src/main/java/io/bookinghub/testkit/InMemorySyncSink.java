package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.fileimport.FileImportSink;
import io.bookinghub.spi.fileimport.ImportReport;
import io.bookinghub.spi.fileimport.RowIssue;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A sync sink that behaves like the hub's store, in memory: records are kept by kind and external id,
 * an identical record is {@link UpsertOutcome#UNCHANGED}, a record with a lower provider version (or an
 * earlier updated-at when versions are absent) is {@link UpsertOutcome#STALE} and ignored, deletes are soft
 * and an identical upsert restores a deleted record. Cursors survive {@link #newRun()}; everything else
 * the connector reports (outcomes, seen keys, skipped rows, progress, deletes) is per run.
 *
 * <p>As a {@link FileImportSink} it keeps the reports and row issues of a run (and passes each issue on to
 * {@link #skipped} or {@link #warning}, as the hub logs it). {@link #dryRun(boolean) In a dry run}, as the hub's
 * import sink does, it answers each upsert with the outcome a write would have had but stores nothing.
 *
 * <p>Thread-safe. It keeps every record and every upsert of a run, so it is meant for small data sets;
 * use {@link CountingSyncSink} for volume tests.
 */
public final class InMemorySyncSink implements FileImportSink {

    /** A record's identity in the store. */
    public record Key(RecordKind kind, String externalId) {
        public Key {
            requireNonNull(kind, "kind is null");
            requireNonNull(externalId, "externalId is null");
        }

        @Override
        public String toString() {
            return kind + " " + externalId;
        }
    }

    /** One upsert call of the current run and what it did. */
    public record Upsert(Key key, UpsertOutcome outcome, Object record) {
    }

    /** One {@link SyncSink#skipped} call. */
    public record Skip(RecordKind kind, String externalId, String reason) {
    }

    /** One {@link SyncSink#progress} call. */
    public record Progress(String stage, long done, long total) {
    }

    private record Stored(Object record, ProviderVersion version, boolean deleted) {
    }

    private final Map<Key, Stored> store = new LinkedHashMap<>();
    private final Map<String, String> cursors = new LinkedHashMap<>();
    private final List<Upsert> upserts = new ArrayList<>();
    private final Set<Key> seen = new LinkedHashSet<>();
    private final List<Key> deletes = new ArrayList<>();
    private final List<Skip> skipped = new ArrayList<>();
    private final List<Skip> warnings = new ArrayList<>();
    private final List<Progress> progress = new ArrayList<>();
    private final List<ImportReport> reports = new ArrayList<>();
    private final List<RowIssue> rowIssues = new ArrayList<>();
    private volatile BooleanSupplier cancelled = () -> false;
    private boolean dryRun;

    /** Starts a new run: forgets the per-run log, keeps the stored records and the cursors. */
    public synchronized void newRun() {
        upserts.clear();
        seen.clear();
        deletes.clear();
        skipped.clear();
        warnings.clear();
        progress.clear();
        reports.clear();
        rowIssues.clear();
    }

    /** Whether upserts only classify (store nothing) from now on, as the hub's sink does in a dry-run import. */
    public synchronized void dryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public synchronized void report(ImportReport report) {
        reports.add(requireNonNull(report, "report is null"));
    }

    @Override
    public void rowIssue(RowIssue issue) {
        synchronized (this) {
            rowIssues.add(requireNonNull(issue, "issue is null"));
        }
        FileImportSink.super.rowIssue(issue);
    }

    /** The {@link FileImportSink#report} calls of the current run. */
    public synchronized List<ImportReport> reports() {
        return List.copyOf(reports);
    }

    /** The {@link FileImportSink#rowIssue} calls of the current run. */
    public synchronized List<RowIssue> rowIssues() {
        return List.copyOf(rowIssues);
    }

    /** What {@link #cancelled()} answers, e.g. {@code () -> sink.upserts().size() >= 10}. */
    public void cancelWhen(BooleanSupplier condition) {
        this.cancelled = requireNonNull(condition, "condition is null");
    }

    @Override
    public UpsertOutcome upsert(Business b) {
        return put(RecordKind.BUSINESS, b.ref(), ProviderVersion.UNKNOWN, b);
    }

    @Override
    public UpsertOutcome upsert(Location l) {
        return put(RecordKind.LOCATION, l.ref(), ProviderVersion.UNKNOWN, l);
    }

    @Override
    public UpsertOutcome upsert(StaffMember s) {
        return put(RecordKind.STAFF_MEMBER, s.ref(), ProviderVersion.UNKNOWN, s);
    }

    @Override
    public UpsertOutcome upsert(Service s) {
        return put(RecordKind.SERVICE, s.ref(), s.version(), s);
    }

    @Override
    public UpsertOutcome upsert(Client c) {
        return put(RecordKind.CLIENT, c.ref(), c.version(), c);
    }

    @Override
    public UpsertOutcome upsert(Appointment a) {
        return put(RecordKind.APPOINTMENT, a.ref(), a.version(), a);
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot s) {
        return put(RecordKind.AVAILABILITY_SLOT, s.ref(), ProviderVersion.UNKNOWN, s);
    }

    private synchronized UpsertOutcome put(RecordKind kind, ExternalRef ref, ProviderVersion version, Object record) {
        requireNonNull(record, "record is null");
        Key key = new Key(kind, ref.externalId());
        Stored stored = store.get(key);
        UpsertOutcome outcome;
        if (stored == null) {
            outcome = UpsertOutcome.CREATED;
        } else if (stored.record().equals(record)) {
            outcome = stored.deleted() ? UpsertOutcome.UPDATED : UpsertOutcome.UNCHANGED;
        } else if (isStale(stored.version(), version)) {
            outcome = UpsertOutcome.STALE;
        } else {
            outcome = UpsertOutcome.UPDATED;
        }
        if (!dryRun && (outcome == UpsertOutcome.CREATED || outcome == UpsertOutcome.UPDATED)) {
            store.put(key, new Stored(record, version, false));
        }
        seen.add(key);
        upserts.add(new Upsert(key, outcome, record));
        return outcome;
    }

    /**
     * The rule of the hub's store (JdbiRecordSink.isStale): versions decide when both sides have one (an equal version
     * with other content is a provider fix and applies), else updated-at, compared at the microsecond precision the
     * database keeps, else the write applies.
     */
    private static boolean isStale(ProviderVersion stored, ProviderVersion incoming) {
        if (stored.version() != null && incoming.version() != null) {
            return incoming.version() < stored.version();
        }
        if (stored.updatedAt() != null && incoming.updatedAt() != null) {
            return incoming.updatedAt().truncatedTo(ChronoUnit.MICROS)
                    .isBefore(stored.updatedAt().truncatedTo(ChronoUnit.MICROS));
        }
        return false;
    }

    @Override
    public synchronized boolean delete(RecordKind kind, String externalId) {
        Key key = new Key(kind, externalId);
        Stored stored = store.get(key);
        if (stored == null || stored.deleted()) {
            return false;
        }
        store.put(key, new Stored(stored.record(), stored.version(), true));
        deletes.add(key);
        return true;
    }

    @Override
    public synchronized void skipped(RecordKind kind, String externalId, String reason) {
        skipped.add(new Skip(kind, externalId, requireNonNull(reason, "reason is null")));
    }

    @Override
    public synchronized void warning(RecordKind kind, String externalId, String message) {
        warnings.add(new Skip(kind, externalId, requireNonNull(message, "message is null")));
    }

    /** The {@link SyncSink#warning} calls of the current run, as (kind, id, message). */
    public synchronized List<Skip> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public synchronized void progress(String stage, long done, long total) {
        progress.add(new Progress(stage, done, total));
    }

    @Override
    public synchronized Optional<String> cursor(String resource) {
        return Optional.ofNullable(cursors.get(resource));
    }

    @Override
    public synchronized void saveCursor(String resource, String cursor) {
        cursors.put(requireNonNull(resource, "resource is null"), requireNonNull(cursor, "cursor is null"));
    }

    @Override
    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    /** Stored records that are not (soft-)deleted, in first-write order. */
    public synchronized Map<Key, Object> live() {
        Map<Key, Object> out = new LinkedHashMap<>();
        store.forEach((k, s) -> {
            if (!s.deleted()) {
                out.put(k, s.record());
            }
        });
        return out;
    }

    /** Live records of one kind by external id. */
    public synchronized <T> Map<String, T> records(RecordKind kind, Class<T> type) {
        Map<String, T> out = new LinkedHashMap<>();
        store.forEach((k, s) -> {
            if (k.kind() == kind && !s.deleted()) {
                out.put(k.externalId(), type.cast(s.record()));
            }
        });
        return out;
    }

    /** A live record. */
    public synchronized Optional<Object> get(RecordKind kind, String externalId) {
        Stored s = store.get(new Key(kind, externalId));
        return s == null || s.deleted() ? Optional.empty() : Optional.of(s.record());
    }

    /** Whether the record is stored and soft-deleted. */
    public synchronized boolean isDeleted(RecordKind kind, String externalId) {
        Stored s = store.get(new Key(kind, externalId));
        return s != null && s.deleted();
    }

    /** This run's upserts, in call order. */
    public synchronized List<Upsert> upserts() {
        return List.copyOf(upserts);
    }

    /** How many upserts of this run had the outcome. */
    public synchronized long count(UpsertOutcome outcome) {
        return upserts.stream().filter(u -> u.outcome() == outcome).count();
    }

    /** How many upserts of this run for the kind had the outcome. */
    public synchronized long count(RecordKind kind, UpsertOutcome outcome) {
        return upserts.stream().filter(u -> u.key().kind() == kind && u.outcome() == outcome).count();
    }

    /** Outcome counts of this run (every outcome present, zero when none). */
    public synchronized Map<UpsertOutcome, Long> outcomes() {
        Map<UpsertOutcome, Long> out = new EnumMap<>(UpsertOutcome.class);
        for (UpsertOutcome o : UpsertOutcome.values()) {
            out.put(o, 0L);
        }
        upserts.forEach(u -> out.merge(u.outcome(), 1L, Long::sum));
        return out;
    }

    /** Keys this run upserted (whatever the outcome), as the hub marks them seen. */
    public synchronized Set<Key> seen() {
        return Set.copyOf(seen);
    }

    /** Keys this run soft-deleted. */
    public synchronized List<Key> deletes() {
        return List.copyOf(deletes);
    }

    public synchronized List<Skip> skipped() {
        return List.copyOf(skipped);
    }

    public synchronized List<Progress> progress() {
        return List.copyOf(progress);
    }

    /** Saved cursors (kept across runs). */
    public synchronized Map<String, String> cursors() {
        return Map.copyOf(cursors);
    }
}
