package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One segment of an {@link AppointmentView}, in the provider's order. */
public record AppointmentSegmentView(String serviceExternalId, String serviceVariantExternalId,
        String staffExternalId, Instant start, Instant end) {
    public AppointmentSegmentView {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
    }
}
