package io.bookinghub.hub.webhooks;

/** Where an inbox event stands. */
public enum InboxStatus {
    /** Waiting for (or being retried by) a worker. */
    PENDING,
    /** Applied to the shared model. */
    DONE,
    /** Failed too often (or in a way retrying cannot fix); waits for an admin to reprocess it. */
    PARKED,
    /** Verified but for no enabled connection; kept so that nothing a provider sent is lost. */
    UNROUTED
}
