package io.bookinghub.spi.booking;

import static java.util.Objects.requireNonNull;

/** Cancels an appointment, by the client or by the business, with an optional reason; versions as in reschedule. */
public record CancelBooking(WriteKey key, String appointmentExternalId, String reason, CancelledBy by,
        Long expectedVersion) {
    public CancelBooking {
        requireNonNull(key, "key is null");
        requireNonNull(appointmentExternalId, "appointmentExternalId is null");
        requireNonNull(by, "by is null");
    }

    /** Who cancelled: decides between CANCELLED_BY_CLIENT and CANCELLED_BY_BUSINESS. */
    public enum CancelledBy { CLIENT, BUSINESS }
}
