package io.bookinghub.hub.sync;

import java.time.Instant;

/** A line of a run's log, e.g. a skipped provider record and why. */
public record SyncLogView(long id, Instant at, String level, String recordKind, String externalId, String message) {
}
