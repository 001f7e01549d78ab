package io.bookinghub.model;

/** Provider-neutral appointment status; the provider's own value is kept beside it. */
public enum AppointmentStatus {
    BOOKED,
    CONFIRMED,
    ARRIVED,
    COMPLETED,
    CANCELLED_BY_CLIENT,
    CANCELLED_BY_BUSINESS,
    NO_SHOW;

    public boolean cancelled() {
        return this == CANCELLED_BY_CLIENT || this == CANCELLED_BY_BUSINESS;
    }
}
