package io.bookinghub.spi.sync;

/** How much a sync run reads. */
public enum SyncMode {
    /** Everything; records the provider no longer returns are soft-deleted by the hub afterwards. */
    FULL,
    /** Only what changed since the cursors saved by earlier runs. */
    INCREMENTAL
}
