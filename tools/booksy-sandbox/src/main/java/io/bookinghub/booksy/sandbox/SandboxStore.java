package io.bookinghub.booksy.sandbox;

import io.bookinghub.booksy.sandbox.SandboxRecords.Appointment;
import io.bookinghub.booksy.sandbox.SandboxRecords.Cancellation;
import io.bookinghub.booksy.sandbox.SandboxRecords.Client;
import io.bookinghub.booksy.sandbox.SandboxRecords.Location;
import io.bookinghub.booksy.sandbox.SandboxRecords.Segment;
import io.bookinghub.booksy.sandbox.SandboxRecords.Service;
import io.bookinghub.booksy.sandbox.SandboxRecords.Staff;
import io.bookinghub.booksy.sandbox.SandboxRecords.Status;
import io.bookinghub.booksy.sandbox.SandboxRecords.Variant;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated account's state. Mutations are serialised on this object so that version and updated_at
 * bumps are never lost; reads go through {@link Table} snapshots and never block on rendering.
 */
final class SandboxStore {

    static final String BUSINESS_ID = "b-1001";
    static final String BUSINESS_NAME = "Studio Anna";
    static final String BUSINESS_ZONE = "Europe/Warsaw";
    static final String CURRENCY = "PLN";
    static final LocalTime OPENS = LocalTime.of(9, 0);
    static final LocalTime CLOSES = LocalTime.of(18, 0);
    static final int SLOT_STEP_MINUTES = 30;

    private final Clock clock;
    final List<Location> locations;
    final long businessUpdatedAtMillis;
    final Table<Staff> staff = new Table<>();
    final Table<Service> services = new Table<>();
    final Table<Client> clients = new Table<>();
    final Table<Appointment> appointments = new Table<>();
    private int nextAppointmentId;
    private int nextClientId;
    /** The external_reference each booking made through the API carries (appointment id to reference). */
    private final Map<Integer, String> references = new ConcurrentHashMap<>();
    private final Map<String, Integer> byReference = new ConcurrentHashMap<>();

    SandboxStore(Clock clock, List<Location> locations, long businessUpdatedAtMillis) {
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.locations = List.copyOf(locations);
        this.businessUpdatedAtMillis = businessUpdatedAtMillis;
    }

    Location location(int id) {
        for (Location l : locations) {
            if (l.id() == id) {
                return l;
            }
        }
        throw new IllegalStateException("no location " + id);
    }

    /** Called once after generation so new ids continue after the seeded ones. */
    synchronized void sealGeneratedIds() {
        nextAppointmentId = appointments.maxId() + 1;
        nextClientId = clients.maxId() + 1;
    }

    private long now() {
        return clock.millis();
    }

    // ---- mutations -------------------------------------------------------------------------------------------

    synchronized Appointment createAppointment(int clientId, int serviceId, Integer variantId, int staffId,
                                               Instant start, String clientNote) {
        Objects.requireNonNull(start, "start is null");
        if (clients.get(clientId) == null) {
            throw new IllegalArgumentException("unknown client id: c-" + clientId);
        }
        Service service = requireService(serviceId);
        Staff member = staff.get(staffId);
        if (member == null) {
            throw new IllegalArgumentException("unknown staff id: s-" + staffId);
        }
        Variant variant = variantId == null ? service.variants()[0] : service.variant(variantId);
        if (variant == null) {
            throw new IllegalArgumentException("service svc-" + serviceId + " has no variant var-" + variantId);
        }
        long startSec = start.getEpochSecond();
        Segment segment = new Segment(serviceId, variant.id(), staffId, startSec,
                startSec + variant.durationMinutes() * 60L);
        Appointment created = new Appointment(nextAppointmentId++, member.locationId(), clientId, Status.BOOKED,
                new Segment[] {segment}, variant.priceCents(), clientNote, null, null, 0, 1, now());
        appointments.put(created);
        return created;
    }

    synchronized Appointment rescheduleAppointment(int id, Instant newStart) {
        Objects.requireNonNull(newStart, "newStart is null");
        Appointment current = requireAppointment(id);
        long delta = newStart.getEpochSecond() - current.startEpochSecond();
        Segment[] shifted = new Segment[current.segments().length];
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = current.segments()[i].shift(delta);
        }
        Appointment updated = current.withSegments(shifted, now());
        appointments.put(updated);
        return updated;
    }

    synchronized Appointment cancelAppointment(int id, boolean byClient, String reason) {
        Appointment current = requireAppointment(id);
        long now = now();
        Appointment updated = current.withStatus(Status.CANCELLED,
                new Cancellation(reason, now, byClient ? "client" : "business"), now);
        appointments.put(updated);
        return updated;
    }

    synchronized Appointment setAppointmentStatus(int id, Status status) {
        Objects.requireNonNull(status, "status is null");
        Appointment current = requireAppointment(id);
        Appointment updated = current.withStatus(status, current.cancellation(), now());
        appointments.put(updated);
        return updated;
    }

    synchronized Service updateService(int id, String name, String description, Boolean active) {
        Service s = requireService(id);
        Service updated = new Service(s.id(), name == null ? s.name() : name, s.category(),
                description == null ? s.description() : description, active == null ? s.active() : active,
                s.variants(), now());
        services.put(updated);
        return updated;
    }

    synchronized Service updateVariantPrice(int serviceId, int variantId, long priceCents) {
        Service s = requireService(serviceId);
        Variant[] variants = s.variants().clone();
        boolean found = false;
        for (int i = 0; i < variants.length; i++) {
            if (variants[i].id() == variantId) {
                variants[i] = new Variant(variantId, variants[i].name(), variants[i].durationMinutes(), priceCents);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("service svc-" + serviceId + " has no variant var-" + variantId);
        }
        Service updated = new Service(s.id(), s.name(), s.category(), s.description(), s.active(), variants, now());
        services.put(updated);
        return updated;
    }

    synchronized Service deleteService(int id) {
        Service removed = services.remove(id);
        if (removed == null) {
            throw new IllegalArgumentException("unknown service id: svc-" + id);
        }
        return new Service(removed.id(), removed.name(), removed.category(), removed.description(), false,
                removed.variants(), now());
    }

    synchronized Client updateClient(int id, String firstName, String lastName, String email, String phone) {
        Client c = requireClient(id);
        Client updated = new Client(id, firstName == null ? c.firstName() : firstName,
                lastName == null ? c.lastName() : lastName, email == null ? c.email() : email,
                phone == null ? c.phone() : phone, now());
        clients.put(updated);
        return updated;
    }

    synchronized Client deleteClient(int id) {
        Client removed = clients.remove(id);
        if (removed == null) {
            throw new IllegalArgumentException("unknown client id: c-" + id);
        }
        return new Client(removed.id(), removed.firstName(), removed.lastName(), removed.email(), removed.phone(),
                now());
    }

    private Appointment requireAppointment(int id) {
        Appointment a = appointments.get(id);
        if (a == null) {
            throw new IllegalArgumentException("unknown appointment id: a-" + id);
        }
        return a;
    }

    private Service requireService(int id) {
        Service s = services.get(id);
        if (s == null) {
            throw new IllegalArgumentException("unknown service id: svc-" + id);
        }
        return s;
    }

    private Client requireClient(int id) {
        Client c = clients.get(id);
        if (c == null) {
            throw new IllegalArgumentException("unknown client id: c-" + id);
        }
        return c;
    }

    // ---- bookings through the API ---------------------------------------------------------------------------

    /** A write the API refuses: its HTTP status and Booksy-style error code; nothing was changed. */
    static final class Refusal extends RuntimeException {
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** A client named in a booking instead of by id: matched by e-mail or phone, else created. */
    record NewClient(String firstName, String lastName, String email, String phone) {
    }

    /** Not synchronized: rendering pages must not wait for writes (both maps are concurrent). */
    String referenceOf(int appointmentId) {
        return references.get(appointmentId);
    }

    Appointment byReference(String reference) {
        Integer id = byReference.get(reference);
        return id == null ? null : appointments.get(id);
    }

    /**
     * Books the service with the given staff member, or the first active one who performs it and is free, when
     * the whole appointment lies within opening hours and overlaps no other live appointment of that staff member
     * (double-booking detection).
     */
    synchronized Appointment book(int serviceId, Integer variantId, Integer staffId, Instant start, Integer clientId,
                                  NewClient newClient, String clientNote, String reference) {
        Service service = services.get(serviceId);
        if (service == null || !service.active()) {
            throw new Refusal(422, "invalid_request", "unknown or inactive service svc-" + serviceId);
        }
        Variant variant = variantId == null ? service.variants()[0] : service.variant(variantId);
        if (variant == null) {
            throw new Refusal(422, "invalid_request", "service svc-" + serviceId + " has no variant var-" + variantId);
        }
        if (reference != null && byReference.containsKey(reference)) {
            throw new Refusal(409, "duplicate_reference", "external_reference already used");
        }
        List<Staff> candidates = new ArrayList<>();
        if (staffId != null) {
            Staff member = staff.get(staffId);
            if (member == null || !member.active() || !member.performs(serviceId)) {
                throw new Refusal(422, "invalid_request", "staff s-" + staffId + " does not perform svc-" + serviceId);
            }
            candidates.add(member);
        } else {
            for (Staff member : staff.snapshot()) {
                if (member.active() && member.performs(serviceId)) {
                    candidates.add(member);
                }
            }
            candidates.sort((a, b) -> Integer.compare(a.id(), b.id()));
        }
        long startSec = start.getEpochSecond();
        long endSec = startSec + variant.durationMinutes() * 60L;
        Staff chosen = null;
        for (Staff member : candidates) {
            if (withinOpeningHours(member, startSec, endSec) && isFree(busy(member.id(), -1), startSec, endSec)) {
                chosen = member;
                break;
            }
        }
        if (chosen == null) {
            throw new Refusal(409, "slot_unavailable", "the slot is taken or outside opening hours");
        }
        int client = clientId != null ? requireClientForBooking(clientId) : matchOrCreate(newClient);
        Segment segment = new Segment(serviceId, variant.id(), chosen.id(), startSec, endSec);
        Appointment created = new Appointment(nextAppointmentId++, chosen.locationId(), client, Status.BOOKED,
                new Segment[] {segment}, variant.priceCents(), clientNote, null, null, 0, 1, now());
        appointments.put(created);
        if (reference != null) {
            references.put(created.id(), reference);
            byReference.put(reference, created.id());
        }
        return created;
    }

    /** Moves a live appointment (and optionally to another staff member) when the new time is free. */
    synchronized Appointment move(int id, Instant newStart, Integer staffId, Long expectedVersion) {
        Appointment current = liveForWrite(id, expectedVersion);
        long delta = newStart.getEpochSecond() - current.startEpochSecond();
        Segment[] shifted = new Segment[current.segments().length];
        for (int i = 0; i < shifted.length; i++) {
            Segment s = current.segments()[i].shift(delta);
            int staffOf = staffId == null ? s.staffId() : staffId;
            Staff member = staff.get(staffOf);
            if (member == null || !member.active() || !member.performs(s.serviceId())) {
                throw new Refusal(422, "invalid_request", "staff s-" + staffOf + " does not perform svc-"
                        + s.serviceId());
            }
            if (!withinOpeningHours(member, s.startEpochSecond(), s.endEpochSecond())
                    || !isFree(busy(staffOf, id), s.startEpochSecond(), s.endEpochSecond())) {
                throw new Refusal(409, "slot_unavailable", "the new time is taken or outside opening hours");
            }
            shifted[i] = new Segment(s.serviceId(), s.variantId(), staffOf, s.startEpochSecond(), s.endEpochSecond());
        }
        Appointment updated = current.withSegments(shifted, now());
        appointments.put(updated);
        return updated;
    }

    /** Cancels a live appointment. */
    synchronized Appointment cancel(int id, boolean byClient, String reason, Long expectedVersion) {
        liveForWrite(id, expectedVersion);
        return cancelAppointment(id, byClient, reason);
    }

    private Appointment liveForWrite(int id, Long expectedVersion) {
        Appointment current = appointments.get(id);
        if (current == null) {
            throw new Refusal(404, "not_found", "no such appointment");
        }
        if (expectedVersion != null && current.version() != expectedVersion) {
            throw new Refusal(412, "version_mismatch", "the appointment is at version " + current.version());
        }
        if (current.status() == Status.CANCELLED) {
            throw new Refusal(409, "already_cancelled", "the appointment is cancelled");
        }
        return current;
    }

    private int requireClientForBooking(int clientId) {
        if (clients.get(clientId) == null) {
            throw new Refusal(422, "invalid_request", "unknown client c-" + clientId);
        }
        return clientId;
    }

    private int matchOrCreate(NewClient named) {
        for (Client c : clients.snapshot()) {
            if ((named.email() != null && named.email().equalsIgnoreCase(c.email()))
                    || (named.phone() != null && named.phone().equals(c.phone()))) {
                return c.id();
            }
        }
        Client created = new Client(nextClientId++, named.firstName(), named.lastName(), named.email(), named.phone(),
                now());
        clients.put(created);
        return created.id();
    }

    private boolean withinOpeningHours(Staff member, long startSec, long endSec) {
        ZonedDateTime start = Instant.ofEpochSecond(startSec).atZone(location(member.locationId()).zone());
        LocalDate day = start.toLocalDate();
        long open = ZonedDateTime.of(day, OPENS, start.getZone()).toEpochSecond();
        long close = ZonedDateTime.of(day, CLOSES, start.getZone()).toEpochSecond();
        return day.getDayOfWeek() != DayOfWeek.SUNDAY && startSec >= open && endSec <= close;
    }

    /** The intervals a staff member's live appointments take, leaving out appointment {@code except}. */
    private List<long[]> busy(int staffId, int except) {
        List<long[]> taken = new ArrayList<>();
        for (Appointment a : appointments.snapshot()) {
            if (a.id() == except || a.status() == Status.CANCELLED || a.status() == Status.NO_SHOW) {
                continue;
            }
            for (Segment s : a.segments()) {
                if (s.staffId() == staffId) {
                    taken.add(new long[] {s.startEpochSecond(), s.endEpochSecond()});
                }
            }
        }
        return taken;
    }

    // ---- availability ----------------------------------------------------------------------------------------

    /** One free slot; times in epoch seconds. */
    record Slot(int staffId, int serviceId, int locationId, long startEpochSecond, long endEpochSecond) {
    }

    /**
     * Free slots for every active staff member and every active service they perform, on working days
     * (Monday-Saturday, 09:00-18:00 in the location's zone) between the two dates inclusive, minus time taken
     * by non-cancelled appointments. Sorted by start, staff, service so that pages are stable.
     */
    List<Slot> availability(LocalDate from, LocalDate to, Integer staffFilter, Integer serviceFilter,
                            Integer locationFilter) {
        // Only intervals near the requested window matter; a day of margin covers every zone offset.
        long windowStart = from.minusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long windowEnd = to.plusDays(2).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        Map<Integer, List<long[]>> busy = new HashMap<>();
        for (Appointment a : appointments.snapshot()) {
            if (a.status() == Status.CANCELLED || a.status() == Status.NO_SHOW
                    || a.endEpochSecond() <= windowStart || a.startEpochSecond() >= windowEnd) {
                continue;
            }
            for (Segment s : a.segments()) {
                busy.computeIfAbsent(s.staffId(), k -> new ArrayList<>())
                        .add(new long[] {s.startEpochSecond(), s.endEpochSecond()});
            }
        }
        List<Slot> slots = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            if (day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                continue;
            }
            for (Staff member : staff.snapshot()) {
                if (!member.active() || (staffFilter != null && member.id() != staffFilter)
                        || (locationFilter != null && member.locationId() != locationFilter)) {
                    continue;
                }
                Location loc = location(member.locationId());
                long open = ZonedDateTime.of(day, OPENS, loc.zone()).toEpochSecond();
                long close = ZonedDateTime.of(day, CLOSES, loc.zone()).toEpochSecond();
                List<long[]> taken = busy.getOrDefault(member.id(), List.of());
                for (int serviceId : member.serviceIds()) {
                    Service service = services.get(serviceId);
                    if (service == null || !service.active()
                            || (serviceFilter != null && serviceId != serviceFilter)) {
                        continue;
                    }
                    long duration = service.variants()[0].durationMinutes() * 60L;
                    for (long t = open; t + duration <= close; t += SLOT_STEP_MINUTES * 60L) {
                        if (isFree(taken, t, t + duration)) {
                            slots.add(new Slot(member.id(), serviceId, loc.id(), t, t + duration));
                        }
                    }
                }
            }
        }
        slots.sort((a, b) -> {
            int c = Long.compare(a.startEpochSecond(), b.startEpochSecond());
            if (c == 0) {
                c = Integer.compare(a.staffId(), b.staffId());
            }
            return c != 0 ? c : Integer.compare(a.serviceId(), b.serviceId());
        });
        return slots;
    }

    private static boolean isFree(List<long[]> taken, long start, long end) {
        for (long[] interval : taken) {
            if (interval[0] < end && start < interval[1]) {
                return false;
            }
        }
        return true;
    }
}
