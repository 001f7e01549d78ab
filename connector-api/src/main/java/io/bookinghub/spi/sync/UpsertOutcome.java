package io.bookinghub.spi.sync;

/** What an upsert did to the stored record. */
public enum UpsertOutcome {
    CREATED,
    UPDATED,
    /** Same data as stored: nothing written. */
    UNCHANGED,
    /** The stored record is newer (provider version or updated-at): the incoming one was ignored. */
    STALE,
    /**
     * Only from a sync run's sink: the record joined the run's current batch and is not written yet. The hub
     * writes a run's upserts a page at a time (one transaction per batch, not per record); the batch is written
     * and counted with the run by the time the connector's next {@code progress}, {@code saveCursor} or
     * {@code delete} call returns, or its sync returns. A record that turns out invalid for the database fails
     * the run then, not this call.
     */
    PENDING
}
