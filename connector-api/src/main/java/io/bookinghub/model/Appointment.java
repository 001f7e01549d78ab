package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A booking: one or more segments, a normalized status plus the provider's raw status, and
 * references (by external id) to the client, location and the appointment it was rescheduled from.
 * Times are instants; {@link #timeZone()} is the zone they are shown in.
 *
 * <p><b>Time zones.</b> Segment times are instants: convert what the provider sends with the offset it sends
 * ({@code OffsetDateTime.parse("2026-03-28T10:00:00+01:00").toInstant()}), never dropping or replacing it; a
 * provider time with no offset at all is local time in the zone below. {@link #timeZone()} is a region zone,
 * never a fixed offset: the provider's IANA zone for the appointment or its location when it sends one, else the
 * business's zone, {@link io.bookinghub.spi.ConnectorContext#businessTimeZone()}. A fixed offset such as
 * {@code +01:00} taken from the payload would show every appointment across a daylight-saving change an hour off,
 * and would make one business's appointments disagree about their zone.
 *
 * <p>Build one with {@link #builder(ExternalRef)}.
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

    /**
     * An appointment under construction: at least one {@link Builder#segment segment}, the
     * {@link Builder#timeZone time zone} and the {@link Builder#status status} are required.
     */
    public static Builder builder(ExternalRef ref) {
        return new Builder(ref);
    }

    /**
     * Named steps for {@link Appointment}, so nullable neighbours of the same type cannot be swapped unnoticed.
     * {@link #build()} calls the record's constructor, which is where every rule lives.
     */
    public static final class Builder {
        private final ExternalRef ref;
        private String clientExternalId;
        private String locationExternalId;
        private final List<AppointmentSegment> segments = new ArrayList<>();
        private ZoneId timeZone;
        private AppointmentStatus status;
        private String providerStatus;
        private Cancellation cancellation;
        private String clientNote;
        private String businessNote;
        private Money price;
        private String rescheduledFromExternalId;
        private ProviderVersion version;
        private String rawJson;

        private Builder(ExternalRef ref) {
            this.ref = requireNonNull(ref, "ref is null");
        }

        public Builder clientExternalId(String clientExternalId) {
            this.clientExternalId = clientExternalId;
            return this;
        }

        public Builder locationExternalId(String locationExternalId) {
            this.locationExternalId = locationExternalId;
            return this;
        }

        /** Adds one; call once per segment, in order. */
        public Builder segment(AppointmentSegment segment) {
            this.segments.add(requireNonNull(segment, "segment is null"));
            return this;
        }

        /** Replaces every segment added so far. */
        public Builder segments(List<AppointmentSegment> segments) {
            this.segments.clear();
            this.segments.addAll(segments);
            return this;
        }

        public Builder timeZone(ZoneId timeZone) {
            this.timeZone = timeZone;
            return this;
        }

        public Builder status(AppointmentStatus status) {
            this.status = status;
            return this;
        }

        public Builder providerStatus(String providerStatus) {
            this.providerStatus = providerStatus;
            return this;
        }

        public Builder cancellation(Cancellation cancellation) {
            this.cancellation = cancellation;
            return this;
        }

        public Builder clientNote(String clientNote) {
            this.clientNote = clientNote;
            return this;
        }

        public Builder businessNote(String businessNote) {
            this.businessNote = businessNote;
            return this;
        }

        public Builder price(Money price) {
            this.price = price;
            return this;
        }

        public Builder rescheduledFromExternalId(String rescheduledFromExternalId) {
            this.rescheduledFromExternalId = rescheduledFromExternalId;
            return this;
        }

        public Builder version(ProviderVersion version) {
            this.version = version;
            return this;
        }

        public Builder rawJson(String rawJson) {
            this.rawJson = rawJson;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException as the record's constructor does */
        public Appointment build() {
            return new Appointment(ref, clientExternalId, locationExternalId, segments, timeZone, status,
                    providerStatus, cancellation, clientNote, businessNote, price, rescheduledFromExternalId, version,
                    rawJson);
        }
    }
}
