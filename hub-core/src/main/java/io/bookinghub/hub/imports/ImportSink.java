package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.model.BatchingRecordSink;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.fileimport.FileImportSink;
import io.bookinghub.spi.fileimport.ImportReport;
import io.bookinghub.spi.fileimport.RowIssue;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sink of an import run: passes everything to the run's sink and remembers the latest progress of every
 * stage, the importer's {@link ImportReport} and its first {@link #MAX_ROW_ISSUES} row issues (each issue is also
 * logged with the run as a skip or warning, worded by {@link RowIssue#message()}, so {@code GET sync-runs} shows
 * it).
 *
 * <p>In a dry run it also guarantees that nothing is written, whatever the connector does: deletes are dropped
 * (not found) and cursors are not saved, and upserts are not stored but classified read-only with the rules of a
 * real write ({@link JdbiRecordSink.Classifier}), answering {@link UpsertOutcome#PENDING}. They are classified a
 * batch at a time (one SELECT per kind per batch): at every progress report (a page boundary), when
 * {@link BatchingRecordSink#MAX_BATCH} are pending, and at {@link #finishDryRun()}.
 */
final class ImportSink implements FileImportSink {
    /** Stages remembered; a connector inventing a stage per row must not grow memory with the file. */
    static final int MAX_STAGES = 64;
    /** Row issues kept for the answer; the run's log and counts hold all of them. */
    static final int MAX_ROW_ISSUES = 1000;
    /**
     * Records a dry run remembers as if written, so a record repeated in the file is classified as its second
     * write would be; about 100 bytes each.
     */
    static final int REMEMBERED = 100_000;

    private final SyncSink delegate;
    private final boolean dryRun;
    /** Null unless a dry run; in production {@link JdbiRecordSink.Classifier#classifyAll}. */
    private final Function<List<Object>, List<UpsertOutcome>> classifier;
    private final List<Object> pending = new ArrayList<>();
    private final List<RecordKind> pendingKinds = new ArrayList<>();
    private final Map<RecordKind, Map<UpsertOutcome, Long>> classified = new EnumMap<>(RecordKind.class);
    private final Map<String, SyncProgress> stages = new LinkedHashMap<>();
    private final List<RowIssue> rowIssues = new ArrayList<>();
    private long rowIssueCount;
    private ImportReport report;

    /** A real import's sink: everything passes to {@code delegate}. */
    static ImportSink of(SyncSink delegate) {
        return new ImportSink(delegate, false, null);
    }

    /** A dry run's sink: nothing is written; upserts are classified a batch at a time by {@code classifier}. */
    static ImportSink dryRun(SyncSink delegate, Function<List<Object>, List<UpsertOutcome>> classifier) {
        return new ImportSink(delegate, true, requireNonNull(classifier, "classifier is null"));
    }

    private ImportSink(SyncSink delegate, boolean dryRun, Function<List<Object>, List<UpsertOutcome>> classifier) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.dryRun = dryRun;
        this.classifier = classifier;
    }

    /** Classifies what is still pending; call once the connector returned from a dry run. */
    synchronized void finishDryRun() {
        classifyPending();
    }

    /**
     * What a dry run's upserts would have done, per kind of record (STALE counted as UNCHANGED: nothing would
     * change); empty for a real import.
     */
    synchronized Map<RecordKind, DryRunCounts> dryRunCounts() {
        Map<RecordKind, DryRunCounts> counts = new EnumMap<>(RecordKind.class);
        classified.forEach((kind, outcomes) -> counts.put(kind, new DryRunCounts(
                outcomes.getOrDefault(UpsertOutcome.CREATED, 0L), outcomes.getOrDefault(UpsertOutcome.UPDATED, 0L),
                outcomes.getOrDefault(UpsertOutcome.UNCHANGED, 0L) + outcomes.getOrDefault(UpsertOutcome.STALE, 0L))));
        return counts;
    }

    private synchronized UpsertOutcome classifyLater(RecordKind kind, Object record) {
        requireNonNull(record, kind + " is null");
        pending.add(record);
        pendingKinds.add(kind);
        if (pending.size() >= BatchingRecordSink.MAX_BATCH) {
            classifyPending();
        }
        return UpsertOutcome.PENDING;
    }

    private void classifyPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<UpsertOutcome> outcomes = classifier.apply(List.copyOf(pending));
        for (int i = 0; i < outcomes.size(); i++) {
            classified.computeIfAbsent(pendingKinds.get(i), k -> new EnumMap<>(UpsertOutcome.class))
                    .merge(outcomes.get(i), 1L, Long::sum);
        }
        pending.clear();
        pendingKinds.clear();
    }

    synchronized Map<String, SyncProgress> stages() {
        return new LinkedHashMap<>(stages);
    }

    /** The importer's report, or null when it gave none (an SPI 1.0 importer). */
    synchronized ImportReport report() {
        return report;
    }

    /** The first {@link #MAX_ROW_ISSUES} row issues, in the order reported. */
    synchronized List<RowIssue> rowIssues() {
        return List.copyOf(rowIssues);
    }

    /** How many row issues were reported in all. */
    synchronized long rowIssueCount() {
        return rowIssueCount;
    }

    @Override
    public synchronized void report(ImportReport report) {
        this.report = requireNonNull(report, "report is null");
    }

    @Override
    public void rowIssue(RowIssue issue) {
        requireNonNull(issue, "issue is null");
        synchronized (this) {
            rowIssueCount++;
            if (rowIssues.size() < MAX_ROW_ISSUES) {
                rowIssues.add(issue);
            }
        }
        FileImportSink.super.rowIssue(issue);
    }

    @Override
    public void progress(String stage, long done, long total) {
        delegate.progress(stage, done, total);
        synchronized (this) {
            if (dryRun) {
                classifyPending();
            }
            if (stages.containsKey(stage) || stages.size() < MAX_STAGES) {
                stages.put(stage, new SyncProgress(stage, done, total));
            }
        }
    }

    @Override
    public UpsertOutcome upsert(Business business) {
        return dryRun ? classifyLater(RecordKind.BUSINESS, business) : delegate.upsert(business);
    }

    @Override
    public UpsertOutcome upsert(Location location) {
        return dryRun ? classifyLater(RecordKind.LOCATION, location) : delegate.upsert(location);
    }

    @Override
    public UpsertOutcome upsert(StaffMember staffMember) {
        return dryRun ? classifyLater(RecordKind.STAFF_MEMBER, staffMember) : delegate.upsert(staffMember);
    }

    @Override
    public UpsertOutcome upsert(Service service) {
        return dryRun ? classifyLater(RecordKind.SERVICE, service) : delegate.upsert(service);
    }

    @Override
    public UpsertOutcome upsert(Client client) {
        return dryRun ? classifyLater(RecordKind.CLIENT, client) : delegate.upsert(client);
    }

    @Override
    public UpsertOutcome upsert(Appointment appointment) {
        return dryRun ? classifyLater(RecordKind.APPOINTMENT, appointment) : delegate.upsert(appointment);
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot slot) {
        return dryRun ? classifyLater(RecordKind.AVAILABILITY_SLOT, slot) : delegate.upsert(slot);
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        return !dryRun && delegate.delete(kind, externalId);
    }

    @Override
    public void skipped(RecordKind kind, String externalId, String reason) {
        delegate.skipped(kind, externalId, reason);
    }

    @Override
    public void warning(RecordKind kind, String externalId, String message) {
        delegate.warning(kind, externalId, message);
    }

    @Override
    public Optional<String> cursor(String resource) {
        return delegate.cursor(resource);
    }

    @Override
    public void saveCursor(String resource, String cursor) {
        if (!dryRun) {
            delegate.saveCursor(resource, cursor);
        }
    }

    @Override
    public boolean cancelled() {
        return delegate.cancelled();
    }
}
