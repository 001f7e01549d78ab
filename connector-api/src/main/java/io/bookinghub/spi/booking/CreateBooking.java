package io.bookinghub.spi.booking;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A new appointment: one service (its default variant when {@code variantExternalId} is null) with one staff
 * member ({@code staffExternalId} null: whoever is free) at {@code start}.
 */
public record CreateBooking(WriteKey key, String serviceExternalId, String variantExternalId, String staffExternalId,
        Instant start, BookingClient client, String notes) {
    public CreateBooking {
        requireNonNull(key, "key is null");
        requireNonNull(serviceExternalId, "serviceExternalId is null");
        requireNonNull(start, "start is null");
        requireNonNull(client, "client is null");
    }
}
