package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;

/** A bookable interval for a staff member (and optionally a service) at a location. */
public record AvailabilitySlot(ExternalRef ref, String staffExternalId, String serviceExternalId,
        String locationExternalId, Instant start, Instant end, ZoneId timeZone, String rawJson) {
    public AvailabilitySlot {
        requireNonNull(ref, "ref is null");
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(timeZone, "timeZone is null");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("slot end " + end + " is not after start " + start);
        }
    }
}
