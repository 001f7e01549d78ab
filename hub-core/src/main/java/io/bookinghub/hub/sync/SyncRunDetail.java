package io.bookinghub.hub.sync;

import io.bookinghub.hub.api.Page;

/** A run with one page of its log. */
public record SyncRunDetail(SyncRun run, Page<SyncLogView> logs) {
}
