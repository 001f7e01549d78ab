package io.bookinghub.hub.webhooks;

/** What the hub did with one delivery, as recorded in webhook_log.outcome. */
public enum DeliveryOutcome {
    /** Verified and stored in the inbox (its processing status is the inbox row's). */
    ACCEPTED,
    /** Verified, but the inbox already held this event: acknowledged without a second effect. */
    DUPLICATE,
    /** Not verified (or not routable, or too large): answered 401/413 and not stored. */
    REFUSED,
    /** Verified, but the connector could not parse it: answered 400. */
    INVALID
}
