package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.sync.SyncLogView;
import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.hub.sync.SyncRun;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to an upload: the finished import run, the first row errors from its log, and what the
 * connector counted.
 *
 * @param run             the run (mode IMPORT), as {@code GET .../sync-runs/{id}} shows it
 * @param kind            what the file held, as asked
 * @param dryRun          whether nothing was written
 * @param valid           rows that were (dry run: would be) imported, when the connector reports a
 *                        {@code "<kind>: valid"} stage; else null
 * @param invalid         rows that could not be taken, from the {@code "<kind>: invalid"} stage; else null
 * @param stages          the last progress of every stage the connector reported
 * @param errors          the first entries of the run's log, e.g. {@code "skipped: row 17, column 'Price': ..."};
 *                        the run's {@code skippedCount} counts all of them
 * @param errorsTruncated whether the log holds more entries (page through {@code GET .../sync-runs/{id}})
 */
public record ImportView(SyncRun run, String kind, boolean dryRun, Long valid, Long invalid,
        Map<String, SyncProgress> stages, List<SyncLogView> errors, boolean errorsTruncated) {
    public ImportView {
        requireNonNull(run, "run is null");
        requireNonNull(kind, "kind is null");
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(stages, "stages is null")));
        errors = List.copyOf(requireNonNull(errors, "errors is null"));
    }
}
