package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One service performed by one staff member within an appointment. */
public record AppointmentSegment(String serviceExternalId, String serviceVariantExternalId, String staffExternalId,
        Instant start, Instant end) {
    public AppointmentSegment {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("segment end " + end + " is not after start " + start);
        }
    }
}
