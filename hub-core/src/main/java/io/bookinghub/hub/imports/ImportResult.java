package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.sync.SyncProgress;
import io.bookinghub.hub.sync.SyncRun;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished import run and the last progress its connector reported for each stage, in the order the
 * stages first appeared (a dry run of the CSV importer reports e.g. {@code "clients: valid"} and
 * {@code "clients: invalid"}; the run itself only keeps the latest stage).
 */
public record ImportResult(SyncRun run, Map<String, SyncProgress> stages) {
    public ImportResult {
        requireNonNull(run, "run is null");
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(stages, "stages is null")));
    }
}
