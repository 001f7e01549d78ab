package io.bookinghub.hub.model;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Cancellation;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Sample model records and a helper to create hub businesses. */
final class Fixtures {
    static final String CONNECTOR = "acme";
    static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");

    private Fixtures() {
    }

    static UUID newBusiness(Jdbi jdbi) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO businesses (id, name, time_zone, created_at, updated_at)"
                        + " VALUES (:id, 'Salon', 'Europe/Warsaw', now(), now())")
                .bind("id", id).execute());
        return id;
    }

    static ExternalRef ref(String id) {
        return new ExternalRef(CONNECTOR, id);
    }

    static Business business(String id, String name) {
        return new Business(ref(id), name, WARSAW, "PLN", "{\"id\":\"" + id + "\"}");
    }

    static Location location(String id, String name) {
        return new Location(ref(id), name, "ul. Prosta 1, Warszawa", WARSAW, "{\"loc\":1}");
    }

    static StaffMember staff(String id, String name) {
        return new StaffMember(ref(id), name, name.toLowerCase() + "@example.com", "+48 600 100 200", "loc-1", true,
                "{\"staff\":true}");
    }

    static Service service(String id, String name, ProviderVersion version, List<ServiceVariant> variants) {
        return new Service(ref(id), name, "Hair", "A " + name, variants, true, version, "{\"svc\":\"" + name + "\"}");
    }

    static ServiceVariant variant(String id, int minutes, String price) {
        return new ServiceVariant(id, id + " variant", Duration.ofMinutes(minutes),
                price == null ? null : Money.of(price, "PLN"));
    }

    static Client client(String id, String name, ProviderVersion version) {
        return new Client(ref(id), name, name.toLowerCase().replace(' ', '.') + "@example.com", "+48 500 000 000",
                version, "{\"client\":\"" + name + "\"}");
    }

    static AvailabilitySlot slot(String id, Instant start, Duration length) {
        return new AvailabilitySlot(ref(id), "staff-1", "svc-1", "loc-1", start, start.plus(length), WARSAW,
                "{\"slot\":\"" + id + "\"}");
    }

    static AppointmentSegment segment(String service, String staff, Instant start, Duration length) {
        return new AppointmentSegment(service, service + "-v", staff, start, start.plus(length));
    }

    /** A booked appointment whose business note records the version, so content differs per version. */
    static Appointment appointment(String id, ProviderVersion version, String note) {
        return new Appointment(ref(id), "client-1", "loc-1",
                List.of(segment("svc-1", "staff-1", T0, Duration.ofMinutes(30)),
                        segment("svc-2", "staff-2", T0.plus(Duration.ofMinutes(30)), Duration.ofMinutes(45))),
                WARSAW, AppointmentStatus.CONFIRMED, "confirmed", null, "please be quick", note,
                Money.of("150.50", "PLN"), "old-1", version, "{\"appt\":\"" + id + "\",\"note\":\"" + note + "\"}");
    }

    static Appointment cancelledAppointment(String id) {
        return new Appointment(ref(id), "client-1", null,
                List.of(segment("svc-1", null, T0.plus(Duration.ofDays(1)), Duration.ofMinutes(60))),
                ZoneId.of("UTC"), AppointmentStatus.CANCELLED_BY_CLIENT, "cancelled",
                new Cancellation("sick", T0.minus(Duration.ofHours(3))), null, null, null, null,
                new ProviderVersion(7L, T0.minus(Duration.ofHours(3))), null);
    }

    static ProviderVersion v(long version) {
        return new ProviderVersion(version, null);
    }
}
