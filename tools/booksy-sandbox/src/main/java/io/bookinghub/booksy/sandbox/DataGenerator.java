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
import java.text.Normalizer;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Builds the seeded account. Everything is derived from the seed and the clock's instant at generation time,
 * so two sandboxes with the same seed and clock serve byte-identical data. Appointments are generated eagerly
 * but as compact records: 10^5 of them take a few tens of megabytes and well under a second.
 */
final class DataGenerator {

    private static final long HOUR_MS = Duration.ofHours(1).toMillis();
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /** Fixed ids of the guaranteed special cases (only when there are enough appointments). */
    static final int MULTI_SEGMENT_A = 2;
    static final int CANCELLED_BY_CLIENT_A = 3;
    static final int NO_SHOW_A = 4;
    static final int CANCELLED_BY_BUSINESS_A = 5;
    static final int RESCHEDULED_OLD = 6;
    static final int CANCELLED_BY_CLIENT_B = 7;
    static final int MULTI_SEGMENT_B = 8;
    static final int NO_SHOW_B = 9;
    static final int CANCELLED_BY_BUSINESS_B = 11;
    static final int RESCHEDULED_NEW = 12;

    private static final String[][] SERVICES = {
        // name, category, description, then variant triples: name, minutes, price PLN
        {"Haircut", "Hair", "Wash, cut and style.", "Short hair", "30", "80", "Long hair", "45", "120", "Kids", "20", "50"},
        {"Hair colouring", "Hair", "Single-process colour.", "Roots", "60", "180", "Full head", "120", "320"},
        {"Blow-dry", "Hair", "Styling only.", "Standard", "30", "60"},
        {"Manicure", "Nails", "Hands and nails.", "Classic", "45", "90", "Hybrid", "60", "130"},
        {"Pedicure", "Nails", "Feet and nails.", "Classic", "60", "120", "Spa pedicure", "75", "160"},
        {"Beard trim", "Barber", "Beard shaping.", "Trim", "20", "45", "Trim and hot towel shave", "40", "80"},
        {"Facial", "Cosmetics", "Skin treatment.", "Express", "30", "110", "Cleansing", "60", "200", "Hydrating", "75", "240"},
        {"Eyebrow shaping", "Cosmetics", "Henna and shaping.", "Henna and shaping", "30", "70"},
        {"Massage", "Wellness", "Relaxing massage.", "30 minutes", "30", "120", "60 minutes", "60", "200", "90 minutes", "90", "280"},
        {"Perm", "Hair", "Discontinued treatment.", "Classic perm", "120", "250"},
    };
    private static final int INACTIVE_SERVICE = 10;

    private static final Object[][] STAFF = {
        // name, email, phone, location, services
        {"Anna Nowak", "anna@example.com", "+48500100200", 1, new int[] {1, 2, 3, 6}},
        {"Katarzyna Wiśniewska", "kasia@example.com", "+48500100201", 1, new int[] {4, 5, 7, 8}},
        {"Piotr Zieliński", "piotr@example.com", "+48500100202", 1, new int[] {1, 3, 6}},
        {"Emily Clarke", "emily@example.co.uk", "+447700900101", 2, new int[] {1, 2, 3, 7, 8}},
        {"Oliver Brown", "oliver@example.co.uk", "+447700900102", 2, new int[] {6, 9}},
        {"Magda Lewandowska", "magda@example.com", "+48500100205", 1, new int[] {4, 5, 9}},
        {"Tomasz Dawny", "tomasz@example.com", "+48500100206", 1, new int[] {1, 10}},
    };
    private static final int INACTIVE_STAFF = 7;

    private static final String[] FIRST = {"Jan", "Anna", "Piotr", "Maria", "Krzysztof", "Agnieszka", "Tomasz", "Ewa",
        "Paweł", "Zofia", "Łukasz", "Małgorzata", "James", "Olivia", "Harry", "Amelia", "George", "Isla"};
    private static final String[] LAST = {"Kowalski", "Nowak", "Wójcik", "Kamińska", "Lewandowski", "Zielińska",
        "Szymański", "Dąbrowska", "Smith", "Jones", "Taylor", "Williams", "Brown", "Davies"};
    private static final String[] CLIENT_NOTES = {"Please use fragrance-free products.", "Running 5 minutes late.",
        "First visit.", "Allergic to latex.", "Prefers a quiet session."};
    private static final String[] BUSINESS_NOTES = {"VIP client.", "Paid deposit.", "Bring own products.",
        "Discount 10% applied."};
    private static final String[] CLIENT_REASONS = {"Feeling unwell", "Change of plans", "Found another date"};
    private static final String[] BUSINESS_REASONS = {"Staff illness", "Salon closed for maintenance",
        "Double booking"};

    private DataGenerator() {
    }

    static SandboxStore generate(long seed, Clock clock, int clientCount, int appointmentCount) {
        SplittableRandom r = new SplittableRandom(seed);
        long now = clock.millis();
        List<Location> locations = List.of(
                new Location(1, "Centrum", "ul. Marszałkowska 1, Warszawa", ZoneId.of("Europe/Warsaw")),
                new Location(2, "Soho", "12 Greek Street, London W1D 4DH", ZoneId.of("Europe/London")));
        SandboxStore store = new SandboxStore(clock, locations, floorHour(now - 200 * DAY_MS));

        for (int i = 0; i < SERVICES.length; i++) {
            String[] t = SERVICES[i];
            List<Variant> variants = new ArrayList<>();
            for (int v = 3; v + 2 < t.length; v += 3) {
                long cents = (Long.parseLong(t[v + 2]) + r.nextInt(3) * 5L) * 100;
                variants.add(new Variant(i * 3 + variants.size() + 1, t[v], Integer.parseInt(t[v + 1]), cents));
            }
            int id = i + 1;
            store.services.put(new Service(id, t[0], t[1], t[2], id != INACTIVE_SERVICE,
                    variants.toArray(new Variant[0]), floorHour(now - (30 + r.nextInt(60)) * DAY_MS)));
        }
        for (int i = 0; i < STAFF.length; i++) {
            Object[] t = STAFF[i];
            int id = i + 1;
            store.staff.put(new Staff(id, (String) t[0], (String) t[1], (String) t[2], (Integer) t[3],
                    id != INACTIVE_STAFF, (int[]) t[4], floorHour(now - (10 + r.nextInt(80)) * DAY_MS)));
        }
        for (int id = 1; id <= clientCount; id++) {
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            // Some clients leave out email or phone: the connector must cope with missing contact data.
            String email = r.nextInt(10) == 0 ? null
                    : ascii(first) + "." + ascii(last) + "." + id + "@example.com";
            String phone = r.nextInt(12) == 0 ? null
                    : String.format(Locale.ROOT, "+48%09d", 500_000_000 + r.nextInt(100_000_000));
            store.clients.put(new Client(id, first, last, email, phone,
                    floorHour(now - r.nextInt(90 * 24) * HOUR_MS)));
        }

        List<Staff> active = new ArrayList<>();
        for (Staff s : store.staff.snapshot()) {
            if (s.active()) {
                active.add(s);
            }
        }
        active.sort((a, b) -> Integer.compare(a.id(), b.id()));
        boolean specials = appointmentCount >= RESCHEDULED_NEW && clientCount > 0;
        for (int id = 1; id <= appointmentCount && clientCount > 0; id++) {
            if (specials && id == RESCHEDULED_NEW) {
                store.appointments.put(rescheduledCopy(store.appointments.get(RESCHEDULED_OLD)));
                continue;
            }
            store.appointments.put(appointment(id, r, store, active, clientCount, now, specials));
        }
        store.sealGeneratedIds();
        return store;
    }

    private static Appointment appointment(int id, SplittableRandom r, SandboxStore store, List<Staff> active,
                                           int clientCount, long now, boolean specials) {
        Staff first = active.get(r.nextInt(active.size()));
        Location loc = store.location(first.locationId());
        int dayOffset = r.nextInt(61) - 30;
        if (specials && (id == NO_SHOW_A || id == NO_SHOW_B)) {
            dayOffset = -1 - r.nextInt(29);
        } else if (specials && id == RESCHEDULED_OLD) {
            dayOffset = 2 + r.nextInt(10);
        }
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(now), loc.zone()).plusDays(dayOffset);
        if (day.getDayOfWeek() == DayOfWeek.SUNDAY) {
            day = dayOffset < 0 ? day.minusDays(1) : day.plusDays(1);
        }
        long t = day.atTime(9 + r.nextInt(7), 15 * r.nextInt(4)).atZone(loc.zone()).toEpochSecond();

        int p = r.nextInt(100);
        int segmentCount = p < 85 ? 1 : p < 97 ? 2 : 3;
        if (specials && (id == MULTI_SEGMENT_A || id == MULTI_SEGMENT_B)) {
            segmentCount = id == MULTI_SEGMENT_A ? 2 : 3;
        }
        Segment[] segments = new Segment[segmentCount];
        long price = 0;
        for (int k = 0; k < segmentCount; k++) {
            Staff who = first;
            if (k > 0 && r.nextInt(10) < 3) {
                who = colleague(active, first, r);
            }
            int serviceId = who.serviceIds()[r.nextInt(who.serviceIds().length)];
            Service service = store.services.get(serviceId);
            Variant variant = service.variants()[r.nextInt(service.variants().length)];
            long end = t + variant.durationMinutes() * 60L;
            segments[k] = new Segment(serviceId, variant.id(), who.id(), t, end);
            price += variant.priceCents();
            t = end;
        }
        long startMs = segments[0].startEpochSecond() * 1000;
        long endMs = segments[segmentCount - 1].endEpochSecond() * 1000;
        long createdMs = Math.min(now, startMs) - (1 + r.nextInt(14 * 24)) * HOUR_MS;

        Status status;
        String cancelledBy = null;
        int q = r.nextInt(100);
        if (endMs <= now) {
            status = q < 70 ? Status.FINISHED : q < 78 ? Status.COMPLETED : q < 86 ? Status.NO_SHOW
                    : Status.CANCELLED;
            cancelledBy = q < 94 ? "client" : "business";
        } else if (startMs <= now) {
            status = Status.ARRIVED;
        } else {
            status = q < 45 ? Status.CONFIRMED : q < 75 ? Status.BOOKED : q < 85 ? Status.PENDING : Status.CANCELLED;
            cancelledBy = q < 93 ? "client" : "business";
        }
        if (specials) {
            switch (id) {
                case NO_SHOW_A, NO_SHOW_B -> status = Status.NO_SHOW;
                case CANCELLED_BY_CLIENT_A, CANCELLED_BY_CLIENT_B, RESCHEDULED_OLD -> {
                    status = Status.CANCELLED;
                    cancelledBy = "client";
                }
                case CANCELLED_BY_BUSINESS_A, CANCELLED_BY_BUSINESS_B -> {
                    status = Status.CANCELLED;
                    cancelledBy = "business";
                }
                case MULTI_SEGMENT_A, MULTI_SEGMENT_B -> {
                    if (status == Status.CANCELLED) {
                        status = endMs <= now ? Status.FINISHED : Status.CONFIRMED;
                    }
                }
                default -> {
                }
            }
        }

        long updatedMs;
        Cancellation cancellation = null;
        if (status == Status.CANCELLED) {
            long latest = Math.min(now, startMs);
            long cancelledAt = floorHour(createdMs + (long) (r.nextDouble() * Math.max(1, latest - createdMs)));
            String reason;
            if (id == RESCHEDULED_OLD && specials) {
                reason = "Rescheduled by client";
            } else if ("client".equals(cancelledBy)) {
                reason = CLIENT_REASONS[r.nextInt(CLIENT_REASONS.length)];
            } else {
                reason = BUSINESS_REASONS[r.nextInt(BUSINESS_REASONS.length)];
                // Booksy sometimes omits cancelled_by; the contract says that means the business.
                if (r.nextInt(5) == 0 && id != CANCELLED_BY_BUSINESS_A && id != CANCELLED_BY_BUSINESS_B) {
                    cancelledBy = null;
                }
            }
            cancellation = new Cancellation(reason, cancelledAt, cancelledBy);
            updatedMs = cancelledAt;
        } else if (endMs <= now) {
            updatedMs = floorHour(Math.min(now, endMs + r.nextInt(4) * HOUR_MS));
        } else {
            updatedMs = floorHour(createdMs + r.nextInt(3) * HOUR_MS);
        }
        int version = 1 + r.nextInt(3) + (status == Status.CANCELLED ? 1 : 0);
        String clientNote = r.nextInt(5) == 0 ? CLIENT_NOTES[r.nextInt(CLIENT_NOTES.length)] : null;
        String businessNote = r.nextInt(7) == 0 ? BUSINESS_NOTES[r.nextInt(BUSINESS_NOTES.length)] : null;
        int clientId = 1 + r.nextInt(clientCount);
        return new Appointment(id, loc.id(), clientId, status, segments, price, clientNote, businessNote,
                cancellation, 0, version, updatedMs);
    }

    /** The appointment that replaced a client-rescheduled one: same services two days later. */
    private static Appointment rescheduledCopy(Appointment old) {
        long shift = Duration.ofDays(2).toSeconds();
        Segment[] segments = new Segment[old.segments().length];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = old.segments()[i].shift(shift);
        }
        return new Appointment(RESCHEDULED_NEW, old.locationId(), old.clientId(), Status.CONFIRMED, segments,
                old.priceCents(), old.clientNote(), null, null, old.id(), 1, old.cancellation().cancelledAtMillis());
    }

    private static Staff colleague(List<Staff> active, Staff of, SplittableRandom r) {
        List<Staff> same = new ArrayList<>();
        for (Staff s : active) {
            if (s.locationId() == of.locationId() && s.id() != of.id()) {
                same.add(s);
            }
        }
        return same.isEmpty() ? of : same.get(r.nextInt(same.size()));
    }

    private static long floorHour(long millis) {
        return Math.floorDiv(millis, HOUR_MS) * HOUR_MS;
    }

    private static String ascii(String s) {
        String decomposed = Normalizer.normalize(s.replace("ł", "l").replace("Ł", "L"), Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
    }
}
