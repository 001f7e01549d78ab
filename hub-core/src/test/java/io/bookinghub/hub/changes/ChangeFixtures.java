package io.bookinghub.hub.changes;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Records for tests that write the model and watch the change feed (and app webhooks) report it. */
public final class ChangeFixtures {
    public static final String CONNECTOR = "acme";
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");

    private ChangeFixtures() {
    }

    public static UUID newBusiness(Jdbi jdbi) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO businesses (id, name, time_zone, created_at, updated_at)"
                + " VALUES (:id, 'Salon', 'Europe/Warsaw', now(), now())").bind("id", id).execute());
        return id;
    }

    /** An appointment whose content (note, start) differs with every version. */
    public static Appointment appointment(String id, long version) {
        Instant start = T0.plus(Duration.ofMinutes(version % 500));
        return new Appointment(new ExternalRef(CONNECTOR, id), "c1", "loc-1",
                List.of(new AppointmentSegment("svc-1", "svc-1-v", "staff-1", start, start.plus(Duration.ofMinutes(30)))),
                WARSAW, AppointmentStatus.CONFIRMED, "confirmed", null, null, "v" + version, null, null,
                new ProviderVersion(version, null), null);
    }

    public static Client client(String id, long version) {
        return new Client(new ExternalRef(CONNECTOR, id), "Client " + version, null, null,
                new ProviderVersion(version, null), null);
    }
}
