package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

/**
 * Where a long run is, as last reported by its connector.
 *
 * @param stage what is being read, e.g. "appointments"
 * @param done  units done in that stage (pages, records)
 * @param total units expected, -1 when unknown
 */
public record SyncProgress(String stage, long done, long total) {
    public SyncProgress {
        requireNonNull(stage, "stage is null");
    }
}
