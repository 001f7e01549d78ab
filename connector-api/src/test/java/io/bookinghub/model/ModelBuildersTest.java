package io.bookinghub.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelBuildersTest {
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private static final Instant START = OffsetDateTime.parse("2026-03-28T10:00:00+01:00").toInstant();
    private static final Instant END = START.plus(Duration.ofMinutes(45));

    private static ExternalRef ref(String id) {
        return new ExternalRef("acme", id);
    }

    @Test
    void theAppointmentBuilderFillsEveryNamedFieldInItsPlace() {
        AppointmentSegment segment = AppointmentSegment.builder(START, END).serviceExternalId("svc")
                .serviceVariantExternalId("var").staffExternalId("staff").build();
        assertThat(segment).isEqualTo(new AppointmentSegment("svc", "var", "staff", START, END));

        Appointment built = Appointment.builder(ref("a-1")).clientExternalId("client").locationExternalId("loc")
                .segment(segment).timeZone(WARSAW).status(AppointmentStatus.CANCELLED).providerStatus("cancelled")
                .cancellation(new Cancellation("sick", END)).clientNote("c").businessNote("b")
                .price(Money.of("120", "PLN")).rescheduledFromExternalId("a-0")
                .version(new ProviderVersion(3L, END)).rawJson("{}").build();
        assertThat(built).isEqualTo(new Appointment(ref("a-1"), "client", "loc", List.of(segment), WARSAW,
                AppointmentStatus.CANCELLED, "cancelled", new Cancellation("sick", END), "c", "b",
                Money.of("120", "PLN"), "a-0", new ProviderVersion(3L, END), "{}"));
    }

    @Test
    void theBuildersLeaveTheRulesToTheRecordsConstructors() {
        assertThatThrownBy(() -> Appointment.builder(ref("a-1")).timeZone(WARSAW).status(AppointmentStatus.BOOKED)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no segments");
        assertThatThrownBy(() -> Appointment.builder(ref("a-1")).segment(new AppointmentSegment(null, null, null,
                START, END)).status(AppointmentStatus.BOOKED).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("timeZone");
        assertThatThrownBy(() -> Appointment.builder(ref("a-1")).segment(new AppointmentSegment(null, null, null,
                START, END)).timeZone(WARSAW).status(AppointmentStatus.CONFIRMED)
                .cancellation(new Cancellation(null, null)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has a cancellation");
        assertThatThrownBy(() -> AppointmentSegment.builder(END, START).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not after start");
        assertThatThrownBy(() -> Service.builder(ref("s"), "Cut").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no variants");
    }

    @Test
    void otherBuildersDefaultToActiveAndUnknownVersion() {
        ServiceVariant variant = new ServiceVariant("v1", "Short", Duration.ofMinutes(30), null);
        assertThat(Service.builder(ref("s"), "Cut").category("Hair").variant(variant).build())
                .isEqualTo(new Service(ref("s"), "Cut", "Hair", null, List.of(variant), true, null, null));
        assertThat(StaffMember.builder(ref("st"), "Ola").email("ola@example.com").active(false).build())
                .isEqualTo(new StaffMember(ref("st"), "Ola", "ola@example.com", null, null, false, null));
        assertThat(Client.builder(ref("c"), "Anna").phone("+48 600").build())
                .isEqualTo(new Client(ref("c"), "Anna", null, "+48 600", ProviderVersion.UNKNOWN, null));
        assertThat(AvailabilitySlot.builder(ref("slot")).staffExternalId("st").start(START).end(END).timeZone(WARSAW)
                .build()).isEqualTo(new AvailabilitySlot(ref("slot"), "st", null, null, START, END, WARSAW, null));
    }

    @Test
    void plainCancelledIsACancellationWithoutAParty() {
        assertThat(AppointmentStatus.CANCELLED.cancelled()).isTrue();
        assertThat(AppointmentStatus.CANCELLED_BY_CLIENT.cancelled()).isTrue();
        assertThat(AppointmentStatus.NO_SHOW.cancelled()).isFalse();
    }

    @Test
    void aClientWithoutProviderIdGetsAStableDerivedId() {
        String byEmail = Client.derivedExternalId(" Anna@Example.com ", "+48 600 100 200").orElseThrow();
        assertThat(byEmail).startsWith("derived-email:").hasSize("derived-email:".length() + 64)
                .doesNotContain("anna").isEqualTo(Client.derivedExternalId("anna@example.com", null).orElseThrow());
        String byPhone = Client.derivedExternalId(null, "+48 600-100-200").orElseThrow();
        assertThat(byPhone).startsWith("derived-phone:")
                .isEqualTo(Client.derivedExternalId(" ", "+48600100200").orElseThrow())
                .isNotEqualTo(Client.derivedExternalId(null, "48600100200").orElseThrow());
        assertThat(Client.derivedExternalId(null, " ")).isEmpty();
        assertThat(Client.derivedExternalId("", null)).isEmpty();
        // Usable as an external id as it is.
        assertThat(new ExternalRef("acme", byEmail).externalId()).isEqualTo(byEmail);
    }
}
