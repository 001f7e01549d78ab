package io.bookinghub.booksy.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one webhook POST. {@code statusCode} is -1 when no HTTP response was received; then
 * {@code error} names the failure (never a secret).
 */
public record WebhookDelivery(String eventId, String type, int statusCode, String error, Instant attemptedAt) {

    public WebhookDelivery {
        Objects.requireNonNull(eventId, "eventId is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(attemptedAt, "attemptedAt is null");
    }

    /** True when the receiver answered 2xx. */
    public boolean succeeded() {
        return statusCode >= 200 && statusCode < 300;
    }
}
