package io.bookinghub.spi.booking;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Moves an appointment to {@code start}; {@code staffExternalId} null keeps its staff. {@code expectedVersion}
 * (the provider version the caller saw, null for none) makes the provider refuse with VERSION_MISMATCH when the
 * appointment changed since.
 */
public record RescheduleBooking(WriteKey key, String appointmentExternalId, Instant start, String staffExternalId,
        Long expectedVersion) {
    public RescheduleBooking {
        requireNonNull(key, "key is null");
        requireNonNull(appointmentExternalId, "appointmentExternalId is null");
        requireNonNull(start, "start is null");
    }
}
