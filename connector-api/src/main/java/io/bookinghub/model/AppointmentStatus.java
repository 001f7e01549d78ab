package io.bookinghub.model;

/**
 * Provider-neutral appointment status; the provider's own value is kept beside it. Map a cancellation to
 * {@link #CANCELLED_BY_CLIENT} or {@link #CANCELLED_BY_BUSINESS} when the provider says who cancelled, else to
 * {@link #CANCELLED}; never guess a party.
 */
public enum AppointmentStatus {
    BOOKED,
    CONFIRMED,
    ARRIVED,
    COMPLETED,
    CANCELLED_BY_CLIENT,
    CANCELLED_BY_BUSINESS,
    NO_SHOW,
    /** Cancelled, by a party the provider does not name. Since SPI 2.0.0. */
    CANCELLED;

    /** Whether the appointment is cancelled, whoever cancelled it. */
    public boolean cancelled() {
        return this == CANCELLED_BY_CLIENT || this == CANCELLED_BY_BUSINESS || this == CANCELLED;
    }
}
