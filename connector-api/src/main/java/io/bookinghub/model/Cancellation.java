package io.bookinghub.model;

import java.time.Instant;

/** When and why an appointment was cancelled; both may be unknown. */
public record Cancellation(String reason, Instant cancelledAt) {
}
