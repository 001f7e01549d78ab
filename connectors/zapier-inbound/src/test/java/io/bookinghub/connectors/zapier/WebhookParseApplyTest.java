package io.bookinghub.connectors.zapier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Cancellation;
import io.bookinghub.model.Client;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.TestContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing single and batched posts, and applying them to an in-memory store. */
class WebhookParseApplyTest {
    private static final String ID = ZapierInboundConnectorFactory.ID;

    private final TestContext context = TestContext.of(new ZapierInboundConnectorFactory(),
            Fixtures.config(Fixtures.APPOINTMENT_MAPPING, Map.of("eventIdPointer", "/zapEvent",
                    "versionPointer", "/rev", "updatedAtPointer", "/changed")));
    private final WebhookHandler handler = Fixtures.handler(context);
    private final InMemorySyncSink sink = new InMemorySyncSink();

    private List<WebhookEvent> parse(String body) {
        return handler.parse(Fixtures.bearer(Fixtures.SECRET, body));
    }

    private void applyAll(String body) {
        parse(body).forEach(e -> handler.apply(e, sink));
    }

    private static String second() {
        return Fixtures.ONE_APPOINTMENT.replace("apt-1", "apt-2").replace("evt-1", "evt-2")
                .replace("\"state\": \"new\"", "\"state\": \"done\"").replace("Anna@Example.com", "")
                .replace("Anna Nowak", "Jan  Kowalski");
    }

    @Test
    void aBatchIsOneEventPerObjectWithItsOwnPayloadAndNamespacedId() {
        List<WebhookEvent> events = parse("[" + Fixtures.ONE_APPOINTMENT + "," + second() + "]");
        assertThat(events).extracting(WebhookEvent::type).containsExactly("appointment.upserted",
                "appointment.upserted");
        // Ids are scoped to the business and account: the hub de-duplicates across all connections of a connector.
        assertThat(events).extracting(WebhookEvent::eventId).containsExactly("hub-business-1:zapier:evt-1",
                "hub-business-1:zapier:evt-2");
        assertThat(events).extracting(WebhookEvent::accountId).containsOnly("zapier");
        assertThat(events.get(0).payloadJson()).contains("\"apt-1\"").doesNotContain("apt-2");
        assertThat(events.get(1).payloadJson()).contains("\"apt-2\"").doesNotContain("apt-1");
        assertThat(events.get(0).occurredAt()).isEqualTo(Instant.parse("2026-03-20T07:59:00Z"));
    }

    @Test
    void aSingleObjectIsOneEventAndAnEmptyBatchNone() {
        assertThat(parse(Fixtures.ONE_APPOINTMENT)).hasSize(1);
        assertThat(parse("[]")).isEmpty();
    }

    @Test
    void withoutAnEventIdTheHubHashesTheBody() {
        WebhookHandler plain = Fixtures.handler(Fixtures.config(Fixtures.APPOINTMENT_MAPPING));
        assertThat(plain.parse(Fixtures.bearer(Fixtures.SECRET, Fixtures.ONE_APPOINTMENT)))
                .singleElement().satisfies(e -> {
                    assertThat(e.eventId()).isNull();
                    assertThat(e.occurredAt()).isNull();
                });
    }

    @Test
    void malformedBodiesAreInvalidInputWithoutEchoingTheBody() {
        for (String body : List.of("{\"customer\": {\"name\": \"Anna Nowak\"", "\"Anna Nowak\"",
                "[{\"id\": 1}, \"Anna Nowak\"]", "{\"a\": \"Anna Nowak\"} trailing", "",
                "{\"id\": \"Anna Nowak\", \"id\": 2}")) {
            ConnectorException e = catchThrowableOfType(() -> parse(body), ConnectorException.class);
            assertThat(e).as("body %s", body).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.getMessage()).doesNotContain("Anna").doesNotContain("trailing");
        }
    }

    @Test
    void applyMapsTheAppointmentAndUpsertsItsClientAndStaffFirst() {
        applyAll(Fixtures.ONE_APPOINTMENT);

        assertThat(sink.upserts()).extracting(u -> u.key().toString()).containsExactly(
                "CLIENT email:anna@example.com", "STAFF_MEMBER name:ola", "APPOINTMENT apt-1");
        Appointment a = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("apt-1");
        // 10:00 in the business zone (Warsaw, +01:00 before the change on 29 March).
        Instant start = Instant.parse("2026-03-28T09:00:00Z");
        assertThat(a.segments()).containsExactly(new AppointmentSegment("name:haircut", null, "name:ola", start,
                start.plus(Duration.ofMinutes(45))));
        assertThat(a.clientExternalId()).isEqualTo("email:anna@example.com");
        assertThat(a.status()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(a.providerStatus()).isEqualTo("new");
        assertThat(a.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(a.price()).isEqualTo(Money.of("80.50", "EUR"));
        assertThat(a.clientNote()).isEqualTo("first visit");
        assertThat(a.cancellation()).isNull();
        assertThat(a.version()).isEqualTo(new ProviderVersion(3L, Instant.parse("2026-03-20T07:59:00Z")));
        assertThat(a.rawJson()).contains("\"apt-1\"");
        assertThat(a.ref().connectorId()).isEqualTo(ID);
        assertThat(sink.get(RecordKind.CLIENT, "email:anna@example.com")).contains(new Client(
                new io.bookinghub.model.ExternalRef(ID, "email:anna@example.com"), "Anna Nowak", "Anna@Example.com",
                "+49 30 1234", ProviderVersion.UNKNOWN, null));
        assertThat(sink.get(RecordKind.STAFF_MEMBER, "name:ola")).get().isInstanceOfSatisfying(StaffMember.class,
                s -> assertThat(s.name()).isEqualTo("Ola"));
    }

    @Test
    void reapplyingTheSameEventWritesNothing() {
        WebhookEvent event = parse(Fixtures.ONE_APPOINTMENT).get(0);
        handler.apply(event, sink);
        sink.newRun();
        handler.apply(event, sink);
        assertThat(sink.outcomes()).containsEntry(UpsertOutcome.UNCHANGED, 3L).containsEntry(UpsertOutcome.CREATED, 0L)
                .containsEntry(UpsertOutcome.UPDATED, 0L);
    }

    @Test
    void aBatchLandsEveryRecordAndNamesWithoutEmailDeriveANormalisedKey() {
        applyAll("[" + Fixtures.ONE_APPOINTMENT + "," + second() + "]");
        Appointment two = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("apt-2");
        assertThat(two.status()).isEqualTo(AppointmentStatus.COMPLETED);
        assertThat(two.clientExternalId()).isEqualTo("name:jan kowalski");
        assertThat(sink.records(RecordKind.CLIENT, Client.class)).containsOnlyKeys("email:anna@example.com",
                "name:jan kowalski");
    }

    @Test
    void anOlderVersionPostedLateIsStale() {
        applyAll(Fixtures.ONE_APPOINTMENT.replace("\"rev\": 3", "\"rev\": 5").replace("first visit", "newer"));
        sink.newRun();
        applyAll(Fixtures.ONE_APPOINTMENT);
        assertThat(sink.count(RecordKind.APPOINTMENT, UpsertOutcome.STALE)).isEqualTo(1);
        assertThat(sink.records(RecordKind.APPOINTMENT, Appointment.class).get("apt-1").clientNote())
                .isEqualTo("newer");
    }

    @Test
    void aCancelledStatusKeepsTheReason() {
        applyAll(Fixtures.ONE_APPOINTMENT.replace("\"state\": \"new\"", "\"state\": \"gone\", \"why\": \"ill\""));
        Appointment a = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("apt-1");
        assertThat(a.status()).isEqualTo(AppointmentStatus.CANCELLED_BY_CLIENT);
        assertThat(a.cancellation()).isEqualTo(new Cancellation("ill", null));
    }

    @Test
    void aFieldThatCannotBeMappedFailsNamingItAndWritesNothing() {
        assertApplyFails(Fixtures.ONE_APPOINTMENT.replace("2026-03-28 10:00", "28/03/2026"), "mapping.start");
        assertApplyFails(Fixtures.ONE_APPOINTMENT.replace("\"when\"", "\"at\""), "mapping.start");
        assertApplyFails(Fixtures.ONE_APPOINTMENT.replace("\"state\": \"new\"", "\"state\": \"pending\""),
                "mapping.status");
        assertApplyFails(Fixtures.ONE_APPOINTMENT.replace("\"minutes\": 45", "\"minutes\": 0"),
                "mapping.durationMinutes");
        assertApplyFails(Fixtures.ONE_APPOINTMENT.replace("\"minutes\": 45,", ""), "mapping.durationMinutes");
        assertApplyFails(Fixtures.ONE_APPOINTMENT.replace("\"rev\": 3", "\"rev\": \"v3\""), "versionPointer");
        assertApplyFails(Fixtures.ONE_APPOINTMENT.replace("\"id\": \"apt-1\"", "\"id\": \"" + "x".repeat(256) + "\""),
                "mapping.externalId");
    }

    private void assertApplyFails(String body, String field) {
        WebhookEvent event = parse(body).get(0);
        ConnectorException e = catchThrowableOfType(() -> handler.apply(event, sink), ConnectorException.class);
        assertThat(e).as("applying %s", body).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.getMessage()).contains(field + ":").contains("evt-1").doesNotContain("Anna");
        assertThat(sink.upserts()).as("nothing of a failed event is written").isEmpty();
    }

    @Test
    void anEventOfAnotherKindThanTheConnectionNowMapsIsRefused() {
        WebhookEvent event = parse(Fixtures.ONE_APPOINTMENT).get(0);
        WebhookHandler clients = Fixtures.handler(Fixtures.config("{\"name\": \"/customer/name\"}",
                Map.of("recordKind", "client")));
        ConnectorException e = catchThrowableOfType(() -> clients.apply(event, sink), ConnectorException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.getMessage()).contains("appointment.upserted").contains("client.upserted");
    }

    @Test
    void clientZapsUseTheSameDerivedKeysAsAppointments() {
        WebhookHandler clients = Fixtures.handler(Fixtures.config(
                "{\"name\": \"/customer/name\", \"email\": \"/customer/email\", \"phone\": \"/customer/phone\"}",
                Map.of("recordKind", "client")));
        List<WebhookEvent> events = clients.parse(Fixtures.bearer(Fixtures.SECRET, Fixtures.ONE_APPOINTMENT));
        assertThat(events).extracting(WebhookEvent::type).containsExactly("client.upserted");
        clients.apply(events.get(0), sink);
        assertThat(sink.records(RecordKind.CLIENT, Client.class)).containsOnlyKeys("email:anna@example.com");
        assertThat(sink.records(RecordKind.CLIENT, Client.class).get("email:anna@example.com").rawJson())
                .contains("apt-1");
    }

    @Test
    void serviceZapsBuildOneDefaultVariant() {
        WebhookHandler services = Fixtures.handler(Fixtures.config("""
                {"externalId": "/sku", "name": "/title", "durationMinutes": "/minutes",
                 "price": {"pointer": "/price/amount", "currencyPointer": "/price/currency"},
                 "active": {"pointer": "/enabled", "default": true}, "category": {"constant": "Hair"}}
                """, Map.of("recordKind", "service")));
        List<WebhookEvent> events = services.parse(Fixtures.bearer(Fixtures.SECRET, """
                [{"sku": "S-1", "title": "Haircut", "minutes": "30", "price": {"amount": 25, "currency": "pln"}},
                 {"sku": "S-2", "title": "Colour", "minutes": 90, "enabled": "no"}]
                """));
        events.forEach(e -> services.apply(e, sink));
        Map<String, Service> stored = sink.records(RecordKind.SERVICE, Service.class);
        assertThat(stored.get("S-1").variants()).containsExactly(new ServiceVariant("default", "Haircut",
                Duration.ofMinutes(30), Money.of("25", "PLN")));
        assertThat(stored.get("S-1").category()).isEqualTo("Hair");
        assertThat(stored.get("S-1").active()).isTrue();
        assertThat(stored.get("S-2").active()).isFalse();
        assertThat(stored.get("S-2").variants().get(0).price()).isNull();
    }
}
