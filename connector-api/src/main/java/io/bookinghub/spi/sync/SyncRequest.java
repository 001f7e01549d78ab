package io.bookinghub.spi.sync;

import static java.util.Objects.requireNonNull;

/**
 * One sync run the hub asks for. The hub guarantees that at most one run per connection executes at
 * a time, across all hub processes sharing the database.
 *
 * @param runId hub id of the run (for logs)
 * @param mode  full or incremental
 */
public record SyncRequest(String runId, SyncMode mode) {
    public SyncRequest {
        requireNonNull(runId, "runId is null");
        requireNonNull(mode, "mode is null");
    }
}
