package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.Fixtures.CONNECTOR;
import static io.bookinghub.hub.model.Fixtures.T0;
import static io.bookinghub.hub.model.Fixtures.appointment;
import static io.bookinghub.hub.model.Fixtures.business;
import static io.bookinghub.hub.model.Fixtures.client;
import static io.bookinghub.hub.model.Fixtures.location;
import static io.bookinghub.hub.model.Fixtures.segment;
import static io.bookinghub.hub.model.Fixtures.service;
import static io.bookinghub.hub.model.Fixtures.slot;
import static io.bookinghub.hub.model.Fixtures.staff;
import static io.bookinghub.hub.model.Fixtures.v;
import static io.bookinghub.hub.model.Fixtures.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.RecordKind;
import io.dropwizard.jackson.Jackson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ModelQueriesTest extends ModelDatabaseTest {

    /** An appointment of one 60-minute segment starting {@code hours} after T0. */
    private static Appointment at(String id, int hours) {
        return new Appointment(Fixtures.ref(id), null, null,
                List.of(segment("svc", "staff", T0.plus(Duration.ofHours(hours)), Duration.ofMinutes(60))),
                Fixtures.WARSAW, AppointmentStatus.BOOKED, null, null, null, null, null, null, null, null);
    }

    @Test
    void appointmentsAreFilteredByOverlapWithTheRangeAndOrderedByStart() {
        sink.upsert(at("h5", 5));
        sink.upsert(at("h0", 0));
        sink.upsert(at("h2", 2));
        sink.upsert(at("h9", 9));
        ModelQuery q = ModelQuery.forBusiness(businessId);

        assertThat(queries.appointments(q)).extracting(AppointmentView::externalId)
                .containsExactly("h0", "h2", "h5", "h9");
        // [T0+30m, T0+5h): h0 overlaps (ends T0+1h), h5 starts exactly at the exclusive end.
        assertThat(queries.appointments(q.between(T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofHours(5)))))
                .extracting(AppointmentView::externalId).containsExactly("h0", "h2");
        // An appointment ending exactly at 'from' does not overlap.
        assertThat(queries.appointments(q.between(T0.plus(Duration.ofHours(1)), null)))
                .extracting(AppointmentView::externalId).containsExactly("h2", "h5", "h9");
        assertThat(queries.appointments(q.between(null, T0.plus(Duration.ofHours(2)))))
                .extracting(AppointmentView::externalId).containsExactly("h0");
    }

    @Test
    void availabilityIsFilteredByTimeRange() {
        sink.upsert(slot("s1", T0, Duration.ofMinutes(30)));
        sink.upsert(slot("s2", T0.plus(Duration.ofHours(1)), Duration.ofMinutes(30)));

        assertThat(queries.availability(ModelQuery.forBusiness(businessId)
                .between(T0.plus(Duration.ofMinutes(45)), T0.plus(Duration.ofHours(3)))))
                .extracting(AvailabilityView::externalId).containsExactly("s2");
    }

    @Test
    void pagesAreStableAndLimitIsCapped() {
        for (int i = 0; i < 7; i++) {
            sink.upsert(client("c" + i, "Client " + i, null));
        }
        ModelQuery q = ModelQuery.forBusiness(businessId);

        assertThat(queries.clients(q.page(3))).extracting(ClientView::externalId).containsExactly("c0", "c1", "c2");
        assertThat(queries.clients(q.page(3, "Client 2", CONNECTOR, "c2"))).extracting(ClientView::externalId)
                .containsExactly("c3", "c4", "c5");
        // A row written meanwhile before the position neither shifts the next page nor repeats a row.
        sink.upsert(client("a0", "Aaron", null));
        assertThat(queries.clients(q.page(3, "Client 5", CONNECTOR, "c5"))).extracting(ClientView::externalId)
                .containsExactly("c6");
        assertThat(q.page(10_000).limit()).isEqualTo(ModelQuery.MAX_LIMIT + 1);
        assertThatThrownBy(() -> q.page(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.clients(q.page(3, "Client 2"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.between(T0, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectorFilterAndDeletedFlag() {
        sink.upsert(client("c1", "Mine", null));
        sink.upsert(client("c2", "Mine deleted", null));
        sink.delete(RecordKind.CLIENT, "c2");
        new JdbiRecordSink(jdbi, clock, businessId, "other", null)
                .upsert(new Client(new ExternalRef("other", "c1"), "Other", null, null, null, null));
        ModelQuery q = ModelQuery.forBusiness(businessId);

        assertThat(queries.clients(q)).extracting(ClientView::name).containsExactly("Mine", "Other");
        assertThat(queries.clients(q.withConnector(CONNECTOR))).extracting(ClientView::name).containsExactly("Mine");
        assertThat(queries.clients(q.withConnector("other"))).extracting(ClientView::name).containsExactly("Other");
        assertThat(queries.clients(q.withDeleted(true))).extracting(ClientView::name, ClientView::deleted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Mine", false),
                        org.assertj.core.groups.Tuple.tuple("Mine deleted", true),
                        org.assertj.core.groups.Tuple.tuple("Other", false));
    }

    @Test
    void rawIsReturnedOnlyWhenAsked() {
        sink.upsert(location("l1", "L"));
        sink.upsert(appointment("a1", v(1), "n"));
        ModelQuery q = ModelQuery.forBusiness(businessId);

        assertThat(queries.locations(q).get(0).raw()).isNull();
        assertThat(queries.appointments(q).get(0).raw()).isNull();
        assertThat(queries.locations(q.withRaw(true)).get(0).raw()).isEqualTo("{\"loc\": 1}");
    }

    @Test
    void countsLiveRecordsPerKind() {
        sink.upsert(business("b", "B"));
        sink.upsert(location("l1", "L1"));
        sink.upsert(location("l2", "L2"));
        sink.upsert(staff("s1", "S"));
        sink.upsert(service("svc", "Svc", null, List.of(variant("v1", 30, "10"), variant("v2", 60, "20"))));
        sink.upsert(client("c1", "C1", null));
        sink.upsert(client("c2", "C2", null));
        sink.delete(RecordKind.CLIENT, "c2");
        sink.upsert(appointment("a1", v(1), "n"));
        new JdbiRecordSink(jdbi, clock, businessId, "other", null)
                .upsert(new Client(new ExternalRef("other", "c9"), "Other", null, null, null, null));
        new JdbiRecordSink(jdbi, clock, Fixtures.newBusiness(jdbi), CONNECTOR, null).upsert(client("x", "X", null));

        assertThat(queries.counts(businessId)).containsExactlyInAnyOrderEntriesOf(Map.of(
                RecordKind.BUSINESS, 1L, RecordKind.LOCATION, 2L, RecordKind.STAFF_MEMBER, 1L,
                RecordKind.SERVICE, 1L, RecordKind.CLIENT, 2L, RecordKind.APPOINTMENT, 1L,
                RecordKind.AVAILABILITY_SLOT, 0L));
        assertThat(queries.counts(businessId, CONNECTOR)).containsEntry(RecordKind.CLIENT, 1L);
        assertThat(queries.counts(businessId, "other")).containsEntry(RecordKind.CLIENT, 1L)
                .containsEntry(RecordKind.LOCATION, 0L);
    }

    @Test
    void appointmentByIdIsScopedToTheBusiness() {
        sink.upsert(appointment("a1", v(1), "n"));
        UUID id = queries.appointments(ModelQuery.forBusiness(businessId)).get(0).id();

        assertThat(queries.appointment(businessId, id, true)).hasValueSatisfying(a -> {
            assertThat(a.externalId()).isEqualTo("a1");
            assertThat(a.segments()).hasSize(2);
            assertThat(a.raw()).contains("a1");
        });
        assertThat(queries.appointment(Fixtures.newBusiness(jdbi), id, false)).isEmpty();
        assertThat(queries.appointment(businessId, UUID.randomUUID(), false)).isEmpty();
    }

    @Test
    void viewsSerialiseWithRawEmbeddedAsJson() throws Exception {
        sink.upsert(appointment("a1", v(1), "n"));
        sink.upsert(service("svc", "Svc", null, List.of(variant("v1", 30, "10.50"))));
        ObjectMapper mapper = Jackson.newObjectMapper();

        JsonNode appointmentJson = mapper.readTree(mapper.writeValueAsString(
                queries.appointments(ModelQuery.forBusiness(businessId).withRaw(true)).get(0)));
        JsonNode withoutRaw = mapper.readTree(mapper.writeValueAsString(
                queries.appointments(ModelQuery.forBusiness(businessId)).get(0)));
        JsonNode serviceJson = mapper.readTree(mapper.writeValueAsString(
                queries.services(ModelQuery.forBusiness(businessId)).get(0)));

        assertThat(appointmentJson.get("raw").isObject()).isTrue();
        assertThat(appointmentJson.get("raw").get("appt").asText()).isEqualTo("a1");
        assertThat(appointmentJson.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(appointmentJson.get("price").get("currency").asText()).isEqualTo("PLN");
        assertThat(appointmentJson.get("segments")).hasSize(2);
        assertThat(withoutRaw.get("raw").isNull()).isTrue();
        assertThat(serviceJson.get("variants").get(0).get("durationSeconds").asLong()).isEqualTo(1800);
        assertThat(serviceJson.get("variants").get(0).get("price").get("amount").decimalValue())
                .isEqualByComparingTo("10.5");
    }
}
