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

    /**
     * A slot; start, end and time zone are required named steps.
     */
    public static Builder builder(ExternalRef ref) {
        return new Builder(ref);
    }

    /**
     * Named steps for {@link AvailabilitySlot}, so nullable neighbours of the same type cannot be swapped unnoticed.
     * {@link #build()} calls the record's constructor, which is where every rule lives.
     */
    public static final class Builder {
        private final ExternalRef ref;
        private String staffExternalId;
        private String serviceExternalId;
        private String locationExternalId;
        private Instant start;
        private Instant end;
        private ZoneId timeZone;
        private String rawJson;

        private Builder(ExternalRef ref) {
            this.ref = requireNonNull(ref, "ref is null");
        }

        public Builder staffExternalId(String staffExternalId) {
            this.staffExternalId = staffExternalId;
            return this;
        }

        public Builder serviceExternalId(String serviceExternalId) {
            this.serviceExternalId = serviceExternalId;
            return this;
        }

        public Builder locationExternalId(String locationExternalId) {
            this.locationExternalId = locationExternalId;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder end(Instant end) {
            this.end = end;
            return this;
        }

        public Builder timeZone(ZoneId timeZone) {
            this.timeZone = timeZone;
            return this;
        }

        public Builder rawJson(String rawJson) {
            this.rawJson = rawJson;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException as the record's constructor does */
        public AvailabilitySlot build() {
            return new AvailabilitySlot(ref, staffExternalId, serviceExternalId, locationExternalId, start, end,
                    timeZone, rawJson);
        }
    }
}
