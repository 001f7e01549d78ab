package io.bookinghub.connectors.booksy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Client;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.TestContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routing, parsing and applying Booksy webhook events (recorded-style bodies in src/test/resources/webhooks). */
class BooksyWebhookEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final BooksyConnectorFactory factory = new BooksyConnectorFactory();
    private TestContext ctx;
    private BooksyConnector connector;
    private WebhookHandler handler;
    private InMemorySyncSink sink;

    @BeforeEach
    void setUp() {
        Map<String, Object> values = BooksyContexts.oauthValues(wm.baseUrl());
        values.put("webhookSecret", BooksyWebhookVerificationTest.SECRET);
        ctx = BooksyContexts.of(values);
        ctx.credentials().save(Map.of("access_token", "at-webhook", "refresh_token", "rt-webhook",
                "expires_at", BooksyContexts.NOW.plus(Duration.ofHours(1)).toString(), "token_type", "Bearer"));
        connector = (BooksyConnector) factory.create(ctx);
        handler = connector.webhooks();
        sink = new InMemorySyncSink();
    }

    @AfterEach
    void tearDown() {
        connector.close();
    }

    private static WebhookRequest request(String body) {
        return request(body.getBytes(StandardCharsets.UTF_8));
    }

    private static WebhookRequest request(byte[] body) {
        return new WebhookRequest(body, Map.of("Content-Type", List.of("application/json")));
    }

    private WebhookEvent parseOne(String fixture) {
        List<WebhookEvent> events = handler.parse(request(Payloads.webhook(fixture)));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private void applyFixture(String fixture) {
        handler.apply(parseOne(fixture), sink);
    }

    // --- routing -------------------------------------------------------------------------------

    @Test
    void webhookAccountIdReadsBusinessIdAsStringOrNumber() {
        assertThat(factory.webhookAccountId(request(Payloads.webhook("appointment-created.json")))).contains("b-1001");
        assertThat(factory.webhookAccountId(request("{\"type\":\"x\",\"business_id\":1001}"))).contains("1001");
        assertThat(factory.webhookAccountId(request("  {\"business_id\" : \"b-7\", \"extra\": [1,2]} "))).contains("b-7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{", "[]", "null", "42", "\"b-1001\"", "{\"business_id\":null}",
            "{\"business_id\":\"\"}", "{\"business_id\":{\"id\":\"b-1\"}}", "{\"business_id\":[\"b-1\"]}",
            "{\"business_id\":1.5}", "{\"data\":{\"business_id\":\"b-1001\"}}"})
    void webhookAccountIdIsEmptyForGarbage(String body) {
        assertThat(factory.webhookAccountId(request(body))).as(body).isEmpty();
    }

    @Test
    void webhookAccountIdNeverThrowsOnHostileInput() {
        assertThat(factory.webhookAccountId(request("[".repeat(100_000)))).isEmpty();
        assertThat(factory.webhookAccountId(request(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '{'}))).isEmpty();
        assertThat(factory.webhookAccountId(null)).isEmpty();
    }

    // --- parse ---------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "appointment-created.json, evt_2Kq7c9aX01, appointment.created, 2026-11-24T07:58:12Z",
        "appointment-updated.json, evt_2Kq7dB3mZ4, appointment.updated, 2026-11-24T07:59:40Z",
        "appointment-cancelled.json, evt_2Kq7fQ8vT2, appointment.cancelled, 2026-11-24T08:01:05Z",
        "appointment-id-only.json, evt_2Kq7gH1nR8, appointment.updated, 2026-11-24T08:02:00Z",
        "service-created.json, evt_3Mf1a2B3c4, service.created, 2026-11-24T08:10:00Z",
        "service-updated.json, evt_3Mf1a2B3c5, service.updated, 2026-11-24T08:12:00Z",
        "service-deleted.json, evt_3Mf1a2B3c6, service.deleted, 2026-11-24T08:14:00Z",
        "client-updated.json, evt_4Cl1e2N3t4, client.updated, 2026-11-24T08:20:00Z",
        "client-deleted.json, evt_4Cl1e2N3t5, client.updated, 2026-11-24T08:21:00Z",
        "availability-updated.json, evt_5Av1a2I3l4, availability.updated, 2026-11-24T08:30:00Z",
        "availability-slot.json, evt_5Av1a2I3l5, availability.updated, 2026-11-24T08:31:00Z",
        "unknown-type.json, evt_6Rv1e2W3x4, review.created, 2026-11-24T08:40:00Z"})
    void parseReadsEachEventType(String fixture, String id, String type, String createdAt) throws Exception {
        WebhookEvent event = parseOne(fixture);
        assertThat(event.eventId()).isEqualTo(id);
        assertThat(event.type()).isEqualTo(type);
        assertThat(event.accountId()).isEqualTo("b-1001");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse(createdAt));
        assertThat(JSON.readTree(event.payloadJson())).isEqualTo(JSON.readTree(Payloads.webhook(fixture)));
    }

    @Test
    void parseToleratesMissingOptionalFields() {
        WebhookEvent event = handler.parse(request("{\"type\":\"service.deleted\",\"created_at\":\"soon\","
                + "\"data\":{\"id\":7}}")).get(0);
        assertThat(event.eventId()).isNull();
        assertThat(event.accountId()).isEqualTo("b-1001");
        assertThat(event.occurredAt()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json at all SENSITIVE", "{\"id\":\"evt_1\",\"data\":{\"SENSITIVE\":1}}",
            "{\"type\":42,\"SENSITIVE\":1}", "{\"type\":\"  \",\"SENSITIVE\":1}", "[{\"type\":\"SENSITIVE\"}]",
            "{\"type\":\"a.b\",\"SENSITIVE\":\"", "{\"type\":\"a.b\"} SENSITIVE", ""})
    void malformedBodiesAreInvalidInputWithoutEchoingTheBody(String body) {
        assertThatThrownBy(() -> handler.parse(request(body)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.getMessage()).startsWith("Booksy webhook").doesNotContain("SENSITIVE");
                });
    }

    @Test
    void eventForAnotherBusinessIsRefused() {
        String body = Payloads.webhook("service-created.json").replace("\"b-1001\"", "\"b-2002\"");
        assertThatThrownBy(() -> handler.parse(request(body)))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("b-2002").hasMessageContaining("b-1001");
    }

    // --- apply ---------------------------------------------------------------------------------

    @Test
    void appointmentEventsUpsertTheMappedAppointmentWithItsProviderVersion() {
        applyFixture("appointment-created.json");
        Appointment created = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a-10");
        assertThat(created.status()).isEqualTo(AppointmentStatus.BOOKED);
        assertThat(created.version()).isEqualTo(new ProviderVersion(1L, Instant.parse("2026-11-24T07:58:11Z")));
        assertThat(created.segments().get(0).start()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(created.clientNote()).isEqualTo("First visit");
        assertThat(created.price()).isEqualTo(new Money(new BigDecimal("80.00"), "PLN"));

        applyFixture("appointment-updated.json");
        Appointment updated = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a-10");
        assertThat(updated.status()).isEqualTo(AppointmentStatus.CONFIRMED);
        assertThat(updated.segments().get(0).staffExternalId()).isEqualTo("s-2");
        assertThat(updated.version()).isEqualTo(new ProviderVersion(2L, Instant.parse("2026-11-24T07:59:39Z")));

        applyFixture("appointment-cancelled.json");
        Appointment cancelled = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a-10");
        assertThat(cancelled.status()).isEqualTo(AppointmentStatus.CANCELLED_BY_CLIENT);
        assertThat(cancelled.cancellation().reason()).isEqualTo("Cannot make it");
        assertThat(cancelled.version().version()).isEqualTo(3L);
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).hasSize(1);
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aCancellationEventWhoseRecordStillSaysConfirmedCancels() throws Exception {
        ObjectNode event = (ObjectNode) new ObjectMapper().readTree(Payloads.webhook("appointment-cancelled.json"));
        ((ObjectNode) event.path("data")).put("status", "confirmed");
        handler.apply(handler.parse(request(event.toString())).get(0), sink);
        Appointment cancelled = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a-10");
        assertThat(cancelled.status().cancelled()).isTrue();
        assertThat(cancelled.status()).isEqualTo(AppointmentStatus.CANCELLED_BY_CLIENT);
    }

    @Test
    void applyingTheSameEventTwiceIsIdempotent() {
        WebhookEvent event = parseOne("appointment-updated.json");
        handler.apply(event, sink);
        Object first = sink.records(RecordKind.APPOINTMENT, Object.class).get("a-10");
        handler.apply(event, sink);
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).containsOnlyKeys("a-10");
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class).get("a-10")).isEqualTo(first);
    }

    @Test
    void idOnlyAppointmentIsFetchedOnceWithTheBearerToken() {
        String record = "{\"id\":\"a-11\",\"location_id\":\"l-1\",\"client_id\":\"c-2\",\"status\":\"arrived\","
                + "\"timezone\":\"Europe/Warsaw\",\"segments\":[{\"service_id\":\"svc-1\",\"variant_id\":\"var-1\","
                + "\"staff_id\":\"s-1\",\"start\":\"2026-11-24T10:00:00+01:00\",\"end\":\"2026-11-24T10:30:00+01:00\"}],"
                + "\"version\":7,\"updated_at\":\"2026-11-24T08:01:59Z\"}";
        wm.stubFor(get(urlPathMatching("/api/v1/appointments/.*")).willReturn(okJson("{\"data\":" + record + "}")));

        applyFixture("appointment-id-only.json");

        List<LoggedRequest> sent = wm.findAll(getRequestedFor(urlPathMatching(".*")));
        assertThat(sent).hasSize(1);
        wm.verify(1, getRequestedFor(urlEqualTo("/api/v1/appointments/a-11"))
                .withHeader("Authorization", equalTo("Bearer at-webhook")));
        Appointment fetched = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a-11");
        assertThat(fetched.status()).isEqualTo(AppointmentStatus.ARRIVED);
        assertThat(fetched.version()).isEqualTo(new ProviderVersion(7L, Instant.parse("2026-11-24T08:01:59Z")));
        assertThat(ctx.audit().calls()).hasSize(1);
    }

    @Test
    void fetchedRecordMayBeBareAndPathPatternIsConfigurable() {
        connector.close();
        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        values.put("appointmentPath", "/api/v2/bookings/{id}/detail");
        ctx = BooksyContexts.of(values);
        connector = (BooksyConnector) factory.create(ctx);
        wm.stubFor(get(urlPathMatching("/api/v2/bookings/.*")).willReturn(okJson(
                "{\"id\":\"a/1 x\",\"status\":\"no_show\",\"segments\":[{\"staff_id\":\"s-1\","
                        + "\"start\":\"2026-11-24T10:00:00+01:00\",\"end\":\"2026-11-24T10:30:00+01:00\"}],"
                        + "\"updated_at\":\"2026-11-24T08:00:00Z\"}")));

        connector.webhooks().apply(new WebhookEvent("evt_9", "appointment.updated", "b-1001", null,
                "{\"type\":\"appointment.updated\",\"data\":{\"id\":\"a/1 x\"}}"), sink);

        wm.verify(1, getRequestedFor(urlEqualTo("/api/v2/bookings/a%2F1%20x/detail"))
                .withHeader("X-Api-Key", equalTo(BooksyContexts.API_KEY)));
        Appointment fetched = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a/1 x");
        assertThat(fetched.status()).isEqualTo(AppointmentStatus.NO_SHOW);
        // No timezone in the record: the business's zone applies.
        assertThat(fetched.timeZone().getId()).isEqualTo("Europe/Warsaw");
    }

    @Test
    void listStyleFetchPatternPicksTheRecordWithTheId() {
        connector.close();
        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        values.put("appointmentPath", "/api/v1/appointments?id={id}");
        ctx = BooksyContexts.of(values);
        connector = (BooksyConnector) factory.create(ctx);
        String segments = "\"segments\":[{\"staff_id\":\"s-1\",\"start\":\"2026-11-24T10:00:00+01:00\","
                + "\"end\":\"2026-11-24T10:30:00+01:00\"}],\"updated_at\":\"2026-11-24T08:00:00Z\"";
        wm.stubFor(get(urlPathMatching("/api/v1/appointments")).willReturn(okJson("{\"data\":["
                + "{\"id\":\"a-1\",\"status\":\"booked\"," + segments + "},"
                + "{\"id\":\"a-11\",\"status\":\"finished\"," + segments + "}],"
                + "\"pagination\":{\"page\":1,\"per_page\":100,\"total_pages\":1,\"total_count\":2}}")));

        connector.webhooks().apply(parseOne("appointment-id-only.json"), sink);

        wm.verify(1, getRequestedFor(urlEqualTo("/api/v1/appointments?id=a-11")));
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).containsOnlyKeys("a-11");
        assertThat(sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a-11").status())
                .isEqualTo(AppointmentStatus.COMPLETED);
    }

    @Test
    void fetchReturningAnotherRecordIsAProviderError() {
        wm.stubFor(get(urlPathMatching("/api/v1/appointments/.*")).willReturn(okJson("{\"data\":{\"id\":\"a-99\"}}")));
        assertThatThrownBy(() -> applyFixture("appointment-id-only.json"))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR));
        assertThat(sink.upserts()).isEmpty();
    }

    @Test
    void serviceEventsUpsertAndDelete() {
        applyFixture("service-created.json");
        Service created = sink.records(RecordKind.SERVICE, Service.class).get("svc-2");
        assertThat(created.name()).isEqualTo("Beard trim");
        assertThat(created.variants()).containsExactly(new ServiceVariant("var-3", "Standard", Duration.ofMinutes(20),
                new Money(new BigDecimal("45.00"), "PLN")));
        assertThat(created.version()).isEqualTo(ProviderVersion.at(Instant.parse("2026-11-24T08:09:58Z")));

        applyFixture("service-updated.json");
        Service updated = sink.records(RecordKind.SERVICE, Service.class).get("svc-2");
        assertThat(updated.name()).isEqualTo("Beard trim & wash");
        assertThat(updated.variants()).extracting(ServiceVariant::externalId).containsExactly("var-3", "var-4");
        assertThat(updated.version().updatedAt()).isEqualTo(Instant.parse("2026-11-24T08:11:58Z"));

        applyFixture("service-deleted.json");
        assertThat(sink.records(RecordKind.SERVICE, Object.class)).doesNotContainKey("svc-2");
        // Deleting again (a redelivery) is harmless.
        applyFixture("service-deleted.json");
    }

    @Test
    void clientUpdatedUpsertsOrDeletesWhenFlagged() {
        applyFixture("client-updated.json");
        Client client = sink.records(RecordKind.CLIENT, Client.class).get("c-1");
        assertThat(client.name()).isEqualTo("Jan Kowalski-Nowak");
        assertThat(client.email()).isEqualTo("jan.kn@example.com");
        assertThat(client.version()).isEqualTo(ProviderVersion.at(Instant.parse("2026-11-24T08:19:59Z")));

        applyFixture("client-deleted.json");
        assertThat(sink.records(RecordKind.CLIENT, Object.class)).doesNotContainKey("c-1");
    }

    @Test
    void availabilityUpdatedUpsertsEverySlotOrASingleSlot() {
        applyFixture("availability-updated.json");
        assertThat(sink.records(RecordKind.AVAILABILITY_SLOT, Object.class)).containsOnlyKeys(
                "s-1|svc-1|2026-11-25T08:00:00Z", "s-1|svc-1|2026-11-25T08:30:00Z");
        applyFixture("availability-slot.json");
        AvailabilitySlot single = sink.records(RecordKind.AVAILABILITY_SLOT, AvailabilitySlot.class)
                .get("s-2|svc-1|2026-11-25T11:00:00Z");
        assertThat(single.locationExternalId()).isEqualTo("l-2");
        assertThat(single.end()).isEqualTo(Instant.parse("2026-11-25T11:30:00Z"));
        assertThat(sink.records(RecordKind.AVAILABILITY_SLOT, Object.class)).hasSize(3);
    }

    @Test
    void oneBadSlotLeavesTheWholeAvailabilityEventUnapplied() {
        String body = Payloads.webhook("availability-updated.json")
                .replace("\"end\":\"2026-11-25T10:00:00+01:00\"", "\"end\":\"2026-11-25T09:00:00+01:00\"");
        assertThatThrownBy(() -> handler.apply(handler.parse(request(body)).get(0), sink))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("is not after start");
        assertThat(sink.upserts()).isEmpty();
    }

    @Test
    void unknownEventTypesAreIgnored() {
        applyFixture("unknown-type.json");
        assertThat(sink.upserts()).isEmpty();
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void mappingFailureIsInvalidInputWithTheMappersReason() {
        assertThatThrownBy(() -> applyFixture("appointment-unmappable.json"))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("evt_2Kq7hX0pL3")
                .hasMessageContaining("a-12")
                .hasMessageContaining("unknown status 'teleported'");
        assertThat(sink.upserts()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"service.deleted\",\"data\":{}}", "{\"type\":\"service.updated\"}",
            "{\"type\":\"client.updated\",\"data\":[1]}", "{\"type\":\"appointment.created\",\"data\":\"a-1\"}"})
    void eventsWithoutUsableDataAreInvalidInput(String payload) {
        WebhookEvent event = new WebhookEvent("evt_x", typeOf(payload), "b-1001", null, payload);
        assertThatThrownBy(() -> handler.apply(event, sink))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThat(sink.upserts()).isEmpty();
    }

    private static String typeOf(String payload) {
        try {
            return JSON.readTree(payload).path("type").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
