package io.bookinghub.hub.sync;

/** What a run did to stored records so far. */
public record SyncCounts(long created, long updated, long unchanged, long stale, long deleted, long skipped) {
    static final SyncCounts ZERO = new SyncCounts(0, 0, 0, 0, 0, 0);
}
