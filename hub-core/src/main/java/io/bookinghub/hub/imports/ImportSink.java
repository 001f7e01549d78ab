package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sink of an import run: passes everything to the run's sink and remembers the latest progress of every
 * stage, the importer's {@link ImportReport} and its first {@link #MAX_ROW_ISSUES} row issues (each issue is also
 * logged with the run as a skip or warning, worded by {@link RowIssue#message()}, so {@code GET sync-runs} shows
 * it). In a dry run it also guarantees that nothing is written, whatever the connector does: upserts and
 * deletes are dropped (reported as UNCHANGED / not found) and cursors are not saved.
 */
final class ImportSink implements FileImportSink {
    /** Stages remembered; a connector inventing a stage per row must not grow memory with the file. */
    static final int MAX_STAGES = 64;
    /** Row issues kept for the answer; the run's log and counts hold all of them. */
    static final int MAX_ROW_ISSUES = 1000;

    private final SyncSink delegate;
    private final boolean dryRun;
    private final Map<String, SyncProgress> stages = new LinkedHashMap<>();
    private final List<RowIssue> rowIssues = new ArrayList<>();
    private long rowIssueCount;
    private ImportReport report;

    ImportSink(SyncSink delegate, boolean dryRun) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.dryRun = dryRun;
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
            if (stages.containsKey(stage) || stages.size() < MAX_STAGES) {
                stages.put(stage, new SyncProgress(stage, done, total));
            }
        }
    }

    @Override
    public UpsertOutcome upsert(Business business) {
        return dryRun ? UpsertOutcome.UNCHANGED : delegate.upsert(business);
    }

    @Override
    public UpsertOutcome upsert(Location location) {
        return dryRun ? UpsertOutcome.UNCHANGED : delegate.upsert(location);
    }

    @Override
    public UpsertOutcome upsert(StaffMember staffMember) {
        return dryRun ? UpsertOutcome.UNCHANGED : delegate.upsert(staffMember);
    }

    @Override
    public UpsertOutcome upsert(Service service) {
        return dryRun ? UpsertOutcome.UNCHANGED : delegate.upsert(service);
    }

    @Override
    public UpsertOutcome upsert(Client client) {
        return dryRun ? UpsertOutcome.UNCHANGED : delegate.upsert(client);
    }

    @Override
    public UpsertOutcome upsert(Appointment appointment) {
        return dryRun ? UpsertOutcome.UNCHANGED : delegate.upsert(appointment);
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot slot) {
        return dryRun ? UpsertOutcome.UNCHANGED : delegate.upsert(slot);
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
