package io.bookinghub.booksy.sandbox;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Compact, immutable in-memory records of the simulated account. They hold numeric ids and epoch values
 * rather than strings and java.time objects so that a benchmark-sized data set (10^5 appointments) stays
 * small; JSON is rendered per page by {@link JsonViews}.
 */
final class SandboxRecords {

    private SandboxRecords() {
    }

    /** Anything listable: sorted by updated_at, then numeric id. */
    interface Row {
        int id();

        long updatedAtMillis();
    }

    record Location(int id, String name, String address, ZoneId zone) {
        Location {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(address, "address is null");
            Objects.requireNonNull(zone, "zone is null");
        }
    }

    record Staff(int id, String name, String email, String phone, int locationId, boolean active,
                 int[] serviceIds, long updatedAtMillis) implements Row {
        Staff {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(serviceIds, "serviceIds is null");
        }

        boolean performs(int serviceId) {
            for (int s : serviceIds) {
                if (s == serviceId) {
                    return true;
                }
            }
            return false;
        }
    }

    record Variant(int id, String name, int durationMinutes, long priceCents) {
        Variant {
            Objects.requireNonNull(name, "name is null");
            if (durationMinutes <= 0) {
                throw new IllegalArgumentException("durationMinutes must be positive");
            }
        }
    }

    record Service(int id, String name, String category, String description, boolean active,
                   Variant[] variants, long updatedAtMillis) implements Row {
        Service {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(category, "category is null");
            Objects.requireNonNull(variants, "variants is null");
            if (variants.length == 0) {
                throw new IllegalArgumentException("a service needs at least one variant");
            }
        }

        Variant variant(int variantId) {
            for (Variant v : variants) {
                if (v.id() == variantId) {
                    return v;
                }
            }
            return null;
        }
    }

    record Client(int id, String firstName, String lastName, String email, String phone, long updatedAtMillis)
            implements Row {
        Client {
            Objects.requireNonNull(firstName, "firstName is null");
            Objects.requireNonNull(lastName, "lastName is null");
        }
    }

    /** One service performed by one staff member; times in epoch seconds. */
    record Segment(int serviceId, int variantId, int staffId, long startEpochSecond, long endEpochSecond) {
        Segment {
            if (endEpochSecond <= startEpochSecond) {
                throw new IllegalArgumentException("segment end must be after start");
            }
        }

        Segment shift(long seconds) {
            return new Segment(serviceId, variantId, staffId, startEpochSecond + seconds, endEpochSecond + seconds);
        }
    }

    enum Status {
        PENDING("pending"), BOOKED("booked"), CONFIRMED("confirmed"), ARRIVED("arrived"), FINISHED("finished"),
        COMPLETED("completed"), CANCELLED("cancelled"), NO_SHOW("no_show");

        final String wire;

        Status(String wire) {
            this.wire = wire;
        }
    }

    /** cancelledBy is "client", "business" or null (the wire field is then omitted, as Booksy sometimes does). */
    record Cancellation(String reason, long cancelledAtMillis, String cancelledBy) {
    }

    /** rescheduledFrom is 0 when absent; notes may be null. */
    record Appointment(int id, int locationId, int clientId, Status status, Segment[] segments, long priceCents,
                       String clientNote, String businessNote, Cancellation cancellation, int rescheduledFrom,
                       int version, long updatedAtMillis) implements Row {
        Appointment {
            Objects.requireNonNull(status, "status is null");
            Objects.requireNonNull(segments, "segments is null");
            if (segments.length == 0) {
                throw new IllegalArgumentException("an appointment needs at least one segment");
            }
        }

        long startEpochSecond() {
            return segments[0].startEpochSecond();
        }

        long endEpochSecond() {
            return segments[segments.length - 1].endEpochSecond();
        }

        Appointment withStatus(Status newStatus, Cancellation newCancellation, long now) {
            return new Appointment(id, locationId, clientId, newStatus, segments, priceCents, clientNote, businessNote,
                    newCancellation, rescheduledFrom, version + 1, now);
        }

        Appointment withSegments(Segment[] newSegments, long now) {
            return new Appointment(id, locationId, clientId, status, newSegments, priceCents, clientNote, businessNote,
                    cancellation, rescheduledFrom, version + 1, now);
        }
    }
}
