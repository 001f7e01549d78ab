package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.sync.SyncLogView;
import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.hub.sync.SyncRun;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.fileimport.ColumnMapping;
import io.bookinghub.spi.fileimport.ImportReport;
import io.bookinghub.spi.fileimport.RowIssue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to an upload: the finished import run, what the connector detected and counted, and the first
 * row errors.
 *
 * @param run             the run (mode IMPORT), as {@code GET .../sync-runs/{id}} shows it
 * @param kind            what the file held: as asked, or as the connector inferred it when asked {@code auto}
 * @param dryRun          whether nothing was written
 * @param detected        how the connector read the file; null when it did not say (an SPI 1.0 importer)
 * @param columns         which column fed which field ({@code field} null: not read), in file order; empty when
 *                        the connector did not say
 * @param valid           rows that were (dry run: would be) imported, from the {@code "<kind>: valid"} stage;
 *                        else null
 * @param invalid         rows that could not be taken, from the {@code "<kind>: invalid"} stage; else null
 * @param wouldCreate     dry run: records of the file's kind a real import would create; null for a real import
 *                        (see the run's counts) — the same rules as a real write, read-only, at the time of the
 *                        dry run
 * @param wouldUpdate     dry run: records of the file's kind that differ from the stored ones; else null
 * @param unchanged       dry run: records of the file's kind identical to (or older than) the stored ones; else
 *                        null
 * @param dryRunByKind    dry run: the same counts for every kind of record the file gave, e.g. the clients an
 *                        appointments export names; empty for a real import
 * @param stages          the last progress of every stage the connector reported
 * @param errors          the first entries of the run's log, e.g. {@code "skipped: row 17, column 'Price': ..."};
 *                        the run's {@code skippedCount} counts all of them
 * @param rowErrors       the first rows the connector skipped or took with a warning, as it reported them
 * @param errorsTruncated whether there are more log entries or row errors than listed (page through
 *                        {@code GET .../sync-runs/{id}})
 */
public record ImportView(SyncRun run, String kind, boolean dryRun, Detected detected, List<ColumnMapping> columns,
        Long valid, Long invalid, Long wouldCreate, Long wouldUpdate, Long unchanged,
        Map<RecordKind, DryRunCounts> dryRunByKind, Map<String, SyncProgress> stages, List<SyncLogView> errors,
        List<RowError> rowErrors, boolean errorsTruncated) {

    /**
     * How the file was read.
     *
     * @param format     {@code CSV}, {@code XLSX}, ...
     * @param encoding   the text encoding; null for a binary format
     * @param delimiter  the field delimiter; null for a binary format
     * @param dateFormat the dates' format, e.g. {@code dd.MM.yyyy}; null when there are no dates
     * @param sheet      the workbook sheet read; null for a text file
     */
    public record Detected(String format, String encoding, String delimiter, String dateFormat, String sheet) {
        public Detected {
            requireNonNull(format, "format is null");
        }

        static Detected of(ImportReport report) {
            return new Detected(report.format(), report.encoding(), report.delimiter(), report.dateFormat(),
                    report.sheet());
        }
    }

    /**
     * A row the connector could not take, or took with a warning.
     *
     * @param level  {@code skipped} or {@code warning}
     * @param column the column's header, or null when the whole row is meant
     */
    public record RowError(String level, long row, String column, String reason) {
        public RowError {
            requireNonNull(level, "level is null");
            requireNonNull(reason, "reason is null");
        }

        static RowError of(RowIssue issue) {
            return new RowError(issue.level().name().toLowerCase(Locale.ROOT), issue.row(), issue.column(),
                    issue.reason());
        }
    }

    public ImportView {
        requireNonNull(run, "run is null");
        requireNonNull(kind, "kind is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        dryRunByKind = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(dryRunByKind,
                "dryRunByKind is null")));
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(stages, "stages is null")));
        errors = List.copyOf(requireNonNull(errors, "errors is null"));
        rowErrors = List.copyOf(requireNonNull(rowErrors, "rowErrors is null"));
    }

    /**
     * The view of a finished run; {@code asked} is the kind of the request ({@code auto} to infer it), {@code limit}
     * how many row errors to list.
     */
    static ImportView of(ImportResult result, String asked, boolean dryRun, List<SyncLogView> errors,
            boolean logTruncated, int limit) {
        ImportReport report = result.report();
        String kind = report != null ? report.kind() : asked.toLowerCase(Locale.ROOT);
        List<RowError> rowErrors = result.rowIssues().stream().limit(limit).map(RowError::of).toList();
        // The file's own kind when the importer said which it is; else every kind together.
        DryRunCounts counts = null;
        if (dryRun) {
            counts = report != null ? result.dryRunCounts().getOrDefault(report.recordKind(), new DryRunCounts(0, 0, 0))
                    : result.dryRunCounts().values().stream().reduce(new DryRunCounts(0, 0, 0), (a, b) ->
                            new DryRunCounts(a.wouldCreate() + b.wouldCreate(), a.wouldUpdate() + b.wouldUpdate(),
                                    a.unchanged() + b.unchanged()));
        }
        return new ImportView(result.run(), kind, dryRun, report == null ? null : Detected.of(report),
                report == null ? List.of() : report.columns(), done(result.stages(), kind + ": valid"),
                done(result.stages(), kind + ": invalid"), counts == null ? null : counts.wouldCreate(),
                counts == null ? null : counts.wouldUpdate(), counts == null ? null : counts.unchanged(),
                result.dryRunCounts(), result.stages(), errors, rowErrors,
                logTruncated || result.rowIssueCount() > rowErrors.size());
    }

    private static Long done(Map<String, SyncProgress> stages, String stage) {
        SyncProgress progress = stages.get(stage);
        return progress == null ? null : progress.done();
    }
}
