package io.bookinghub.spi.webhook;

import static java.util.Objects.requireNonNull;

/**
 * A webhook request that failed verification. The hub answers 401 with the reason code; the message
 * is safe to store and never contains a secret or an expected signature.
 */
public final class WebhookVerificationException extends Exception {

    /** Why a request was refused. */
    public enum Reason {
        /** A required header is absent. */
        MISSING_HEADER,
        /** A header that must occur once is repeated: ambiguous, so nothing is verified against it. */
        REPEATED_HEADER,
        /** A header is present but cannot be parsed. */
        MALFORMED_HEADER,
        /** The timestamp is outside the tolerance, in the past or the future. */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No signature matched any configured secret. */
        SIGNATURE_MISMATCH,
        /** The connection has no usable webhook secret configured. */
        NO_SECRET
    }

    private final Reason reason;

    public WebhookVerificationException(Reason reason, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }
}
