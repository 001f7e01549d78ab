package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.sync.SyncLogView;
import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.hub.sync.SyncRun;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer to an upload: the finished import run, what the connector detected and counted, and the first
 * row errors from its log.
 *
 * @param run             the run (mode IMPORT), as {@code GET .../sync-runs/{id}} shows it
 * @param kind            what the file held: as asked, or as the connector inferred it when asked {@code auto}
 * @param dryRun          whether nothing was written
 * @param detected        how the connector read the file (its {@code "detected: ..."} stage), e.g.
 *                        {@code CSV, encoding windows-1250, delimiter ';', dates dd.MM.yyyy}; else null
 * @param columns         which column fed which field (its {@code "columns: ..."} stage); else null
 * @param valid           rows that were (dry run: would be) imported, from the {@code "<kind>: valid"} stage;
 *                        else null
 * @param invalid         rows that could not be taken, from the {@code "<kind>: invalid"} stage; else null
 * @param stages          the last progress of every stage the connector reported
 * @param errors          the first entries of the run's log, e.g. {@code "skipped: row 17, column 'Price': ..."};
 *                        the run's {@code skippedCount} counts all of them
 * @param rowErrors       the same entries that name a row, split into row, column (null for the whole row) and
 *                        reason, as FILE_IMPORT connectors word them ({@code row N[, column 'X']: reason})
 * @param errorsTruncated whether the log holds more entries (page through {@code GET .../sync-runs/{id}})
 */
public record ImportView(SyncRun run, String kind, boolean dryRun, String detected, String columns, Long valid,
        Long invalid, Map<String, SyncProgress> stages, List<SyncLogView> errors, List<RowError> rowErrors,
        boolean errorsTruncated) {
    private static final Pattern ROW_MESSAGE = Pattern.compile("^(skipped|warning): row (\\d+)(?:, column '(.*?)')?: (.*)$",
            Pattern.DOTALL);
    private static final String DETECTED = "detected: ";
    private static final String COLUMNS = "columns: ";

    /**
     * A row the connector could not take, or took with a warning.
     *
     * @param level  {@code skipped} or {@code warning}
     * @param column the column's header, or null when the whole row is meant
     */
    public record RowError(String level, long row, String column, String reason) {
    }

    public ImportView {
        requireNonNull(run, "run is null");
        requireNonNull(kind, "kind is null");
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(stages, "stages is null")));
        errors = List.copyOf(requireNonNull(errors, "errors is null"));
        rowErrors = List.copyOf(requireNonNull(rowErrors, "rowErrors is null"));
    }

    /** The view of a finished run; {@code asked} is the kind of the request ({@code auto} to infer it). */
    static ImportView of(SyncRun run, String asked, boolean dryRun, Map<String, SyncProgress> stages,
            List<SyncLogView> errors, boolean truncated) {
        String kind = asked.toLowerCase(Locale.ROOT);
        String detected = null;
        String columns = null;
        for (String stage : stages.keySet()) {
            if (stage.startsWith(DETECTED)) {
                detected = stage.substring(DETECTED.length());
            } else if (stage.startsWith(COLUMNS)) {
                columns = stage.substring(COLUMNS.length());
            } else if (stage.endsWith(": valid") && kind.equals(ImportResource.AUTO_KIND)) {
                kind = stage.substring(0, stage.length() - ": valid".length());
            }
        }
        List<RowError> rowErrors = new ArrayList<>();
        for (SyncLogView entry : errors) {
            Matcher m = entry.message() == null ? null : ROW_MESSAGE.matcher(entry.message());
            if (m != null && m.matches()) {
                rowErrors.add(new RowError(m.group(1), Long.parseLong(m.group(2)), m.group(3), m.group(4)));
            }
        }
        return new ImportView(run, kind, dryRun, detected, columns, done(stages, kind + ": valid"),
                done(stages, kind + ": invalid"), stages, errors, rowErrors, truncated);
    }

    private static Long done(Map<String, SyncProgress> stages, String stage) {
        SyncProgress progress = stages.get(stage);
        return progress == null ? null : progress.done();
    }
}
