package io.bookinghub.hub.sync;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.sync.SyncMode;

/**
 * The hub's kind of run in the ledger: a sync in one of the SPI's {@link SyncMode}s (what a connector is
 * asked to do), or an uploaded file import, which is no sync at all. The names are the values of
 * {@code sync_runs.mode} and of a run's {@code mode} in the API.
 */
public enum RunKind {
    /** A full sync ({@link SyncMode#FULL}). */
    FULL,
    /** An incremental sync ({@link SyncMode#INCREMENTAL}). */
    INCREMENTAL,
    /** An uploaded file read by a FILE_IMPORT connector; never soft-deletes. */
    IMPORT;

    public static RunKind of(SyncMode mode) {
        return switch (requireNonNull(mode, "mode is null")) {
            case FULL -> FULL;
            case INCREMENTAL -> INCREMENTAL;
        };
    }

    /** The sync mode a connector is asked to run; imports are not syncs. */
    SyncMode syncMode() {
        return switch (this) {
            case FULL -> SyncMode.FULL;
            case INCREMENTAL -> SyncMode.INCREMENTAL;
            case IMPORT -> throw new IllegalStateException("an import is not a sync");
        };
    }
}
