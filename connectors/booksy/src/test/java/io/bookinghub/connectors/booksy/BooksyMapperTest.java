package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Client;
import io.bookinghub.model.Money;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BooksyMapperTest {
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private final BooksyMapper mapper = new BooksyMapper(BooksyMapper.DEFAULT_STATUS_MAPPING, WARSAW);

    private static JsonNode byId(List<JsonNode> items, String id) {
        return items.stream().filter(n -> id.equals(n.path("id").asText())).findFirst().orElseThrow();
    }

    @Test
    void businessWithLocationsIgnoresUnknownFieldsAndKeepsRawJson() throws Exception {
        JsonNode node = byId(Payloads.items("businesses.json"), "b-1001");
        BooksyMapper.BusinessWithLocations mapped = mapper.business(node);

        assertThat(mapped.business().ref().connectorId()).isEqualTo("booksy");
        assertThat(mapped.business().ref().externalId()).isEqualTo("b-1001");
        assertThat(mapped.business().name()).isEqualTo("Studio Anna");
        assertThat(mapped.business().timeZone()).isEqualTo(WARSAW);
        assertThat(mapped.business().currency()).isEqualTo("PLN");
        assertThat(new ObjectMapper().readTree(mapped.business().rawJson())).isEqualTo(node);
        assertThat(mapped.locations()).extracting(l -> l.ref().externalId()).containsExactly("l-1", "l-2");
        assertThat(mapped.locations().get(0).address()).isEqualTo("ul. Marszalkowska 1, Warszawa");
        assertThat(mapped.locations().get(1).timeZone()).isEqualTo(WARSAW); // inherited from the business
    }

    @Test
    void staffAndClients() throws Exception {
        List<JsonNode> staff = Payloads.items("staff.json");
        StaffMember anna = mapper.staff(staff.get(0));
        assertThat(anna).extracting(StaffMember::name, StaffMember::email, StaffMember::phone,
                StaffMember::locationExternalId, StaffMember::active)
                .containsExactly("Anna Nowak", "anna@example.com", "+48500100200", "l-1", true);
        assertThat(mapper.staff(staff.get(1)).active()).isFalse();
        assertThatThrownBy(() -> mapper.staff(staff.get(2))).isInstanceOfSatisfying(BooksyMappingException.class, e -> {
            assertThat(e.kind()).isEqualTo(RecordKind.STAFF_MEMBER);
            assertThat(e.externalId()).isNull();
            assertThat(e.reason()).isEqualTo("missing id");
        });

        List<JsonNode> clients = Payloads.items("clients.json");
        Client jan = mapper.client(clients.get(0));
        assertThat(jan.name()).isEqualTo("Jan Kowalski");
        assertThat(jan.version().updatedAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(mapper.client(clients.get(1)).name()).isEqualTo("Ewa");
    }

    @Test
    void servicesWithVariantsAndMoney() throws Exception {
        List<JsonNode> services = Payloads.items("services.json");
        Service haircut = mapper.service(services.get(0));
        assertThat(haircut.name()).isEqualTo("Haircut");
        assertThat(haircut.category()).isEqualTo("Hair");
        assertThat(haircut.variants()).hasSize(2);
        assertThat(haircut.variants().get(0).duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(haircut.variants().get(0).price()).isEqualTo(Money.of("80", "PLN"));
        assertThat(haircut.variants().get(1).price()).isEqualTo(Money.of("120", "PLN"));

        assertThatThrownBy(() -> mapper.service(services.get(1)))
                .isInstanceOfSatisfying(BooksyMappingException.class, e -> {
                    assertThat(e.externalId()).isEqualTo("svc-neg");
                    assertThat(e.reason()).contains("negative price");
                });
        assertThatThrownBy(() -> mapper.service(services.get(2)))
                .isInstanceOfSatisfying(BooksyMappingException.class,
                        e -> assertThat(e.reason()).contains("no variants"));
    }

    @Test
    void appointmentWithEverything() throws Exception {
        Appointment a = mapper.appointment(byId(Payloads.items("appointments-page1.json"), "a-1"));
        assertThat(a.status()).isEqualTo(AppointmentStatus.CONFIRMED);
        assertThat(a.providerStatus()).isEqualTo("confirmed");
        assertThat(a.start()).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(a.end()).isEqualTo(Instant.parse("2026-11-24T09:30:00Z"));
        assertThat(a.segments().get(0).staffExternalId()).isEqualTo("s-1");
        assertThat(a.segments().get(0).serviceVariantExternalId()).isEqualTo("var-1");
        assertThat(a.timeZone()).isEqualTo(WARSAW);
        assertThat(a.price()).isEqualTo(Money.of("80.00", "PLN"));
        assertThat(a.clientExternalId()).isEqualTo("c-1");
        assertThat(a.locationExternalId()).isEqualTo("l-1");
        assertThat(a.clientNote()).isEqualTo("Window seat");
        assertThat(a.businessNote()).isEqualTo("VIP");
        assertThat(a.rescheduledFromExternalId()).isEqualTo("a-0");
        assertThat(a.version().version()).isEqualTo(3L);
        assertThat(a.version().updatedAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(a.cancellation()).isNull();
        assertThat(a.rawJson()).contains("\"source\":\"app\"");
    }

    @Test
    void cancellationsAreAttributedByCancelledByDefaultingToBusiness() throws Exception {
        List<JsonNode> page = Payloads.items("appointments-page1.json");
        Appointment byClient = mapper.appointment(byId(page, "a-2"));
        assertThat(byClient.status()).isEqualTo(AppointmentStatus.CANCELLED_BY_CLIENT);
        assertThat(byClient.cancellation().reason()).isEqualTo("Sick");
        assertThat(byClient.cancellation().cancelledAt()).isEqualTo(Instant.parse("2026-11-21T08:00:00Z"));
        assertThat(byClient.segments()).hasSize(2);
        assertThat(byClient.end()).isEqualTo(Instant.parse("2026-11-25T10:30:00Z"));

        Appointment byBusiness = mapper.appointment(byId(page, "a-3"));
        assertThat(byBusiness.status()).isEqualTo(AppointmentStatus.CANCELLED_BY_BUSINESS);
        assertThat(byBusiness.cancellation().reason()).isEqualTo("Closed");
        assertThat(byBusiness.price()).isNull();
    }

    @Test
    void everyStatusInTheContractTableMaps() throws Exception {
        Map<String, AppointmentStatus> expected = Map.of("pending", AppointmentStatus.BOOKED,
                "booked", AppointmentStatus.BOOKED, "confirmed", AppointmentStatus.CONFIRMED,
                "arrived", AppointmentStatus.ARRIVED, "finished", AppointmentStatus.COMPLETED,
                "completed", AppointmentStatus.COMPLETED, "no_show", AppointmentStatus.NO_SHOW,
                "cancelled", AppointmentStatus.CANCELLED_BY_BUSINESS);
        JsonNode template = byId(Payloads.items("appointments-page1.json"), "a-1");
        for (var entry : expected.entrySet()) {
            var node = template.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("status", entry.getKey());
            assertThat(mapper.appointment(node).status()).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    @Test
    void statusTableCanBeOverridden() throws Exception {
        BooksyMapper custom = new BooksyMapper(Map.of("teleported", "ARRIVED"), WARSAW);
        Appointment a = custom.appointment(byId(Payloads.items("appointments-page1.json"), "a-bad-status"));
        assertThat(a.status()).isEqualTo(AppointmentStatus.ARRIVED);
        assertThat(a.providerStatus()).isEqualTo("teleported");
    }

    @Test
    void missingZoneFallsBackToBusinessZone() throws Exception {
        Appointment a = mapper.appointment(byId(Payloads.items("appointments-page2.json"), "a-4"));
        assertThat(a.timeZone()).isEqualTo(WARSAW);
        assertThat(a.status()).isEqualTo(AppointmentStatus.NO_SHOW);
    }

    @Test
    void malformedAppointmentsFailWithClearReasons() {
        List<JsonNode> all = new java.util.ArrayList<>(Payloads.items("appointments-page1.json"));
        all.addAll(Payloads.items("appointments-page2.json"));
        Map<String, String> expectedReason = Map.of(
                "a-bad-status", "unknown status 'teleported'",
                "a-bad-time", "bad start time 'tomorrow-ish'",
                "a-backwards", "is not after start",
                "a-mars", "unknown time zone 'Mars/Olympus_Mons'",
                "a-negative", "negative price -1.00");
        expectedReason.forEach((id, reason) -> assertThatThrownBy(() -> mapper.appointment(byId(all, id)))
                .as(id).isInstanceOfSatisfying(BooksyMappingException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RecordKind.APPOINTMENT);
                    assertThat(e.externalId()).isEqualTo(id);
                    assertThat(e.reason()).contains(reason);
                }));
        JsonNode noId = all.get(all.size() - 1);
        assertThatThrownBy(() -> mapper.appointment(noId)).isInstanceOfSatisfying(BooksyMappingException.class,
                e -> assertThat(e.reason()).isEqualTo("missing id"));
    }

    @Test
    void availabilitySlotsGetDerivedStableIds() throws Exception {
        List<JsonNode> slots = Payloads.items("availability.json");
        AvailabilitySlot slot = mapper.slot(slots.get(0), WARSAW);
        assertThat(slot.ref().externalId()).isEqualTo("s-1|svc-1|2026-11-24T08:00:00Z");
        assertThat(slot.ref().connectorId()).isEqualTo("booksy");
        assertThat(slot.locationExternalId()).isEqualTo("l-1");
        assertThat(slot.end()).isEqualTo(Instant.parse("2026-11-24T08:30:00Z"));
        assertThat(slot.timeZone()).isEqualTo(WARSAW);

        // Same instant written with another offset gives the same id.
        var sameInstant = slots.get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) sameInstant).put("start", "2026-11-24T08:00:00Z");
        assertThat(mapper.slot(sameInstant, WARSAW).ref()).isEqualTo(slot.ref());

        assertThatThrownBy(() -> mapper.slot(slots.get(2), WARSAW))
                .isInstanceOfSatisfying(BooksyMappingException.class, e -> {
                    assertThat(e.externalId()).isEqualTo("s-2||2026-11-24T11:00:00Z");
                    assertThat(e.reason()).contains("not after start");
                });
    }
}
