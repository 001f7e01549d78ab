package io.bookinghub.spi.sync;

/** What an upsert did to the stored record. */
public enum UpsertOutcome {
    CREATED,
    UPDATED,
    /** Same data as stored: nothing written. */
    UNCHANGED,
    /** The stored record is newer (provider version or updated-at): the incoming one was ignored. */
    STALE
}
