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

    /**
     * A segment from {@code start} to {@code end}; service, variant and staff are optional named steps.
     */
    public static Builder builder(Instant start, Instant end) {
        return new Builder(start, end);
    }

    /**
     * Named steps for {@link AppointmentSegment}, so nullable neighbours of the same type cannot be swapped unnoticed.
     * {@link #build()} calls the record's constructor, which is where every rule lives.
     */
    public static final class Builder {
        private String serviceExternalId;
        private String serviceVariantExternalId;
        private String staffExternalId;
        private final Instant start;
        private final Instant end;

        private Builder(Instant start, Instant end) {
            this.start = requireNonNull(start, "start is null");
            this.end = requireNonNull(end, "end is null");
        }

        public Builder serviceExternalId(String serviceExternalId) {
            this.serviceExternalId = serviceExternalId;
            return this;
        }

        public Builder serviceVariantExternalId(String serviceVariantExternalId) {
            this.serviceVariantExternalId = serviceVariantExternalId;
            return this;
        }

        public Builder staffExternalId(String staffExternalId) {
            this.staffExternalId = staffExternalId;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException as the record's constructor does */
        public AppointmentSegment build() {
            return new AppointmentSegment(serviceExternalId, serviceVariantExternalId, staffExternalId, start, end);
        }
    }
}
