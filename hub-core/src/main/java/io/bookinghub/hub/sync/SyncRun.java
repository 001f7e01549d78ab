package io.bookinghub.hub.sync;

import java.time.Instant;
import java.util.UUID;

/**
 * One run (sync or import) as the ledger stores it and the admin API shows it.
 *
 * @param mode       FULL or INCREMENTAL for syncs, IMPORT for uploaded files
 * @param durationMs finished minus started, null while running
 * @param complete   whether the connector read everything (null while running or after a failure)
 * @param runner     the hub process that executes (executed) the run
 */
public record SyncRun(UUID id, UUID connectionId, String connectorId, RunKind mode, String trigger,
        SyncRunStatus status, Instant startedAt, Instant heartbeatAt, Instant finishedAt, Long durationMs,
        long createdCount, long updatedCount, long unchangedCount, long staleCount, long deletedCount,
        long skippedCount, SyncProgress progress, String errorCode, String errorMessage, boolean cancelRequested,
        Boolean complete, String runner) {

    public boolean finished() {
        return status != SyncRunStatus.RUNNING;
    }
}
