package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.appointment;
import static io.bookinghub.hub.model.Fixtures.client;
import static io.bookinghub.hub.model.Fixtures.service;
import static io.bookinghub.hub.model.Fixtures.v;
import static io.bookinghub.hub.model.Fixtures.variant;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordHasherTest {

    @Test
    void equalRecordsHashEquallyAsSha256Hex() {
        String hash = RecordHasher.hash(appointment("a", v(1), "n"));

        assertThat(hash).isEqualTo(RecordHasher.hash(appointment("a", v(1), "n"))).hasSize(64)
                .matches("[0-9a-f]{64}");
    }

    @Test
    void everyPartOfAnAppointmentCounts() {
        Appointment base = appointment("a", new ProviderVersion(1L, Fixtures.T0), "n");
        String hash = RecordHasher.hash(base);

        List<Appointment> variants = List.of(
                appointment("b", base.version(), "n"),
                appointment("a", new ProviderVersion(2L, Fixtures.T0), "n"),
                appointment("a", new ProviderVersion(1L, Fixtures.T0.plusSeconds(1)), "n"),
                appointment("a", base.version(), "other note"),
                withRaw(base, "{\"appt\":\"a\"}"),
                withRaw(base, null),
                new Appointment(base.ref(), base.clientExternalId(), base.locationExternalId(),
                        List.of(base.segments().get(1), base.segments().get(0)), base.timeZone(), base.status(),
                        base.providerStatus(), null, base.clientNote(), base.businessNote(), base.price(),
                        base.rescheduledFromExternalId(), base.version(), base.rawJson()),
                new Appointment(base.ref(), base.clientExternalId(), base.locationExternalId(), base.segments(),
                        base.timeZone(), AppointmentStatus.BOOKED, base.providerStatus(), null, base.clientNote(),
                        base.businessNote(), base.price(), base.rescheduledFromExternalId(), base.version(),
                        base.rawJson()),
                new Appointment(base.ref(), base.clientExternalId(), base.locationExternalId(), base.segments(),
                        base.timeZone(), base.status(), base.providerStatus(), null, base.clientNote(),
                        base.businessNote(), Money.of("150.51", "PLN"), base.rescheduledFromExternalId(),
                        base.version(), base.rawJson()));

        assertThat(variants).allSatisfy(other -> assertThat(RecordHasher.hash(other)).isNotEqualTo(hash));
    }

    @Test
    void nullAndEmptyAndFieldBoundariesAreDistinguished() {
        Location a = new Location(new ExternalRef("c", "x"), "ab", "c", Fixtures.WARSAW, null);
        Location b = new Location(new ExternalRef("c", "x"), "a", "bc", Fixtures.WARSAW, null);
        Location empty = new Location(new ExternalRef("c", "x"), "ab", "", Fixtures.WARSAW, null);
        Location nul = new Location(new ExternalRef("c", "x"), "ab", null, Fixtures.WARSAW, null);

        assertThat(List.of(RecordHasher.hash(a), RecordHasher.hash(b), RecordHasher.hash(empty),
                RecordHasher.hash(nul))).doesNotHaveDuplicates();
    }

    @Test
    void equalMoneyAmountsHashAlikeAndVariantsCount() {
        String hash = RecordHasher.hash(service("s", "S", null, List.of(variant("v", 30, "25.00"))));

        assertThat(RecordHasher.hash(service("s", "S", null, List.of(variant("v", 30, "25")))))
                .isEqualTo(hash);
        assertThat(RecordHasher.hash(service("s", "S", null,
                List.of(variant("v", 30, "25"), variant("w", 30, "25"))))).isNotEqualTo(hash);
        assertThat(RecordHasher.hash(service("s", "S", null, List.of(variant("v", 31, "25"))))).isNotEqualTo(hash);
        assertThat(new Money(new BigDecimal("25.00"), "PLN")).isEqualTo(Money.of("25", "PLN"));
    }

    @Test
    void kindsNeverCollide() {
        Client c = client("x", "n", null);
        Location l = new Location(new ExternalRef(Fixtures.CONNECTOR, "x"), "n", null, Fixtures.WARSAW, null);

        assertThat(RecordHasher.hash(c)).isNotEqualTo(RecordHasher.hash(l));
    }

    private static Appointment withRaw(Appointment a, String raw) {
        return new Appointment(a.ref(), a.clientExternalId(), a.locationExternalId(), a.segments(), a.timeZone(),
                a.status(), a.providerStatus(), a.cancellation(), a.clientNote(), a.businessNote(), a.price(),
                a.rescheduledFromExternalId(), a.version(), raw);
    }
}
