package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;

/**
 * A booking: one or more segments, a normalized status plus the provider's raw status, and
 * references (by external id) to the client, location and the appointment it was rescheduled from.
 * Times are instants; {@link #timeZone()} is the zone they are shown in.
 */
public record Appointment(
        ExternalRef ref,
        String clientExternalId,
        String locationExternalId,
        List<AppointmentSegment> segments,
        ZoneId timeZone,
        AppointmentStatus status,
        String providerStatus,
        Cancellation cancellation,
        String clientNote,
        String businessNote,
        Money price,
        String rescheduledFromExternalId,
        ProviderVersion version,
        String rawJson) {

    public Appointment {
        requireNonNull(ref, "ref is null");
        requireNonNull(timeZone, "timeZone is null");
        requireNonNull(status, "status is null");
        segments = List.copyOf(requireNonNull(segments, "segments is null"));
        version = version == null ? ProviderVersion.UNKNOWN : version;
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("appointment " + ref.externalId() + " has no segments");
        }
        if (cancellation != null && !status.cancelled()) {
            throw new IllegalArgumentException("appointment " + ref.externalId() + " has a cancellation but status "
                    + status);
        }
    }

    public Instant start() {
        return segments.stream().map(AppointmentSegment::start).min(Comparator.naturalOrder()).orElseThrow();
    }

    public Instant end() {
        return segments.stream().map(AppointmentSegment::end).max(Comparator.naturalOrder()).orElseThrow();
    }
}
