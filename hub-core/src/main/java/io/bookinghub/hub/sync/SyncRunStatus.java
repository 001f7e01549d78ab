package io.bookinghub.hub.sync;

/** Lifecycle of a sync run; every state but RUNNING is final. */
public enum SyncRunStatus {
    RUNNING,
    /** Read everything, nothing skipped. */
    SUCCEEDED,
    /** Finished, but records were skipped or the connector did not read everything. */
    PARTIAL,
    /** Stopped by an error (its code and message are recorded) or abandoned by a dead hub process. */
    FAILED,
    /** Stopped on request of an admin or because the hub shut down. */
    CANCELLED
}
