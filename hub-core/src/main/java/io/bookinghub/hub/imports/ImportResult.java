package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.hub.sync.SyncRun;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.fileimport.ImportReport;
import io.bookinghub.spi.fileimport.RowIssue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished import run and what its connector reported: the last progress of each stage, in the order the
 * stages first appeared (a dry run of the CSV importer reports e.g. {@code "clients: valid"} and
 * {@code "clients: invalid"}; the run itself only keeps the latest stage), how it read the file and its first
 * row issues.
 *
 * @param report        how the file was read; null when the importer gave no report (an SPI 1.0 importer)
 * @param rowIssues     the first row issues, in the order reported
 * @param rowIssueCount how many row issues there were in all
 * @param dryRunCounts  per kind of record, what a dry run's records would have done; empty for a real import
 */
public record ImportResult(SyncRun run, Map<String, SyncProgress> stages, ImportReport report,
        List<RowIssue> rowIssues, long rowIssueCount, Map<RecordKind, DryRunCounts> dryRunCounts) {
    public ImportResult {
        requireNonNull(run, "run is null");
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(stages, "stages is null")));
        rowIssues = List.copyOf(requireNonNull(rowIssues, "rowIssues is null"));
        dryRunCounts = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(dryRunCounts,
                "dryRunCounts is null")));
        if (rowIssueCount < rowIssues.size()) {
            throw new IllegalArgumentException("rowIssueCount " + rowIssueCount + " is less than the "
                    + rowIssues.size() + " row issues given");
        }
    }
}
