package io.bookinghub.connectors.booksy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.TestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BooksyConnectorSyncTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    TestContext ctx;
    BooksyConnector connector;
    InMemorySyncSink sink;

    static void stubBooksy(WireMockExtension wm) {
        wm.stubFor(get(urlPathEqualTo("/api/v1/businesses")).willReturn(okJson(Payloads.text("businesses.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/staff")).willReturn(okJson(Payloads.text("staff.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/services")).willReturn(okJson(Payloads.text("services.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/clients")).willReturn(okJson(Payloads.text("clients.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/appointments")).withQueryParam("page", equalTo("1"))
                .willReturn(okJson(Payloads.text("appointments-page1.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/appointments")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(Payloads.text("appointments-page2.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/availability"))
                .withQueryParam("date_from", equalTo("2026-11-24"))
                .withQueryParam("date_to", equalTo("2026-12-08"))
                .willReturn(okJson(Payloads.text("availability.json"))));
    }

    @BeforeEach
    void setUp() {
        ctx = BooksyContexts.of(BooksyContexts.apiKeyValues(wm.baseUrl()));
        connector = (BooksyConnector) new BooksyConnectorFactory().create(ctx);
        sink = new InMemorySyncSink();
        stubBooksy(wm);
    }

    @AfterEach
    void tearDown() {
        connector.close();
    }

    @Test
    void fullSyncReadsEveryResourcePageByPageAndSkipsMalformedRecords() {
        SyncResult result = connector.sync(new SyncRequest("run-1", SyncMode.FULL), sink);

        assertThat(result.complete()).isTrue();
        assertThat(sink.records(RecordKind.BUSINESS, Object.class)).containsOnlyKeys("b-1001");
        assertThat(sink.records(RecordKind.LOCATION, Object.class)).containsOnlyKeys("l-1", "l-2");
        assertThat(sink.records(RecordKind.STAFF_MEMBER, Object.class)).containsOnlyKeys("s-1", "s-2");
        assertThat(sink.records(RecordKind.SERVICE, Object.class)).containsOnlyKeys("svc-1");
        assertThat(sink.records(RecordKind.CLIENT, Object.class)).containsOnlyKeys("c-1", "c-2");
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).containsOnlyKeys("a-1", "a-2", "a-3", "a-4");
        assertThat(sink.records(RecordKind.AVAILABILITY_SLOT, Object.class)).containsOnlyKeys(
                "s-1|svc-1|2026-11-24T08:00:00Z", "s-1|svc-1|2026-11-24T08:30:00Z");
        assertThat(sink.records(RecordKind.APPOINTMENT, Appointment.class).get("a-2").status().cancelled()).isTrue();

        assertThat(sink.skipped()).extracting(InMemorySyncSink.Skip::kind, InMemorySyncSink.Skip::externalId)
                .containsExactlyInAnyOrder(
                        tuple(RecordKind.STAFF_MEMBER, null),
                        tuple(RecordKind.SERVICE, "svc-neg"),
                        tuple(RecordKind.SERVICE, "svc-empty"),
                        tuple(RecordKind.APPOINTMENT, "a-bad-status"),
                        tuple(RecordKind.APPOINTMENT, "a-bad-time"),
                        tuple(RecordKind.APPOINTMENT, "a-backwards"),
                        tuple(RecordKind.APPOINTMENT, "a-mars"),
                        tuple(RecordKind.APPOINTMENT, "a-negative"),
                        tuple(RecordKind.APPOINTMENT, null),
                        tuple(RecordKind.AVAILABILITY_SLOT, "s-2||2026-11-24T11:00:00Z"));
        assertThat(sink.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());

        assertThat(sink.progress()).contains(new InMemorySyncSink.Progress("appointments", 1, 2),
                new InMemorySyncSink.Progress("appointments", 2, 2), new InMemorySyncSink.Progress("staff", 1, 1));
        // FULL runs save cursors too, so the next incremental run starts from here.
        assertThat(sink.cursors()).containsEntry("appointments", "2026-11-22T12:00:00Z")
                .containsEntry("staff", "2026-11-21T09:00:00Z")
                .containsEntry("businesses", "2026-11-20T10:00:00Z")
                .doesNotContainKey("availability");

        List<LoggedRequest> appointmentRequests = wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/appointments")));
        assertThat(appointmentRequests).hasSize(2);
        assertThat(appointmentRequests).allSatisfy(r -> {
            assertThat(r.queryParameter("business_id").firstValue()).isEqualTo("b-1001");
            assertThat(r.queryParameter("per_page").firstValue()).isEqualTo("100");
            assertThat(r.queryParameter("updated_since").isPresent()).isFalse();
            assertThat(r.getHeader("X-Api-Key")).isEqualTo(BooksyContexts.API_KEY);
        });
    }

    @Test
    void secondRunWritesTheSameRecords() {
        connector.sync(new SyncRequest("run-1", SyncMode.FULL), sink);
        Map<InMemorySyncSink.Key, Object> first = sink.live();

        InMemorySyncSink second = new InMemorySyncSink();
        connector.sync(new SyncRequest("run-2", SyncMode.FULL), second);

        assertThat(second.live()).isEqualTo(first);
        // And into the same sink nothing changes.
        connector.sync(new SyncRequest("run-3", SyncMode.FULL), sink);
        assertThat(sink.live()).isEqualTo(first);
    }

    @Test
    void incrementalSendsUpdatedSinceFromSavedCursors() {
        sink.saveCursor("appointments", "2026-11-21T00:00:00Z");
        sink.saveCursor("clients", "2026-11-20T10:00:00Z");

        SyncResult result = connector.sync(new SyncRequest("run-inc", SyncMode.INCREMENTAL), sink);

        assertThat(result.complete()).isTrue();
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/appointments"))))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.queryParameter("updated_since").firstValue())
                        .as("the saved cursor minus the toolkit's 5-minute overlap").isEqualTo("2026-11-20T23:55:00Z"));
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/clients"))))
                .singleElement().satisfies(r -> assertThat(r.queryParameter("updated_since").firstValue())
                        .isEqualTo("2026-11-20T09:55:00Z"));
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/staff"))))
                .singleElement().satisfies(r -> assertThat(r.queryParameter("updated_since").isPresent()).isFalse());
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/availability"))))
                .singleElement().satisfies(r -> assertThat(r.queryParameter("updated_since").isPresent()).isFalse());
        assertThat(sink.cursors()).containsEntry("appointments", "2026-11-22T12:00:00Z")
                .containsEntry("clients", "2026-11-22T10:00:00Z");
    }

    @Test
    void fullSyncIgnoresCursorsWhenReading() {
        sink.saveCursor("appointments", "2026-11-21T00:00:00Z");
        connector.sync(new SyncRequest("run-full", SyncMode.FULL), sink);
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/appointments"))))
                .allSatisfy(r -> assertThat(r.queryParameter("updated_since").isPresent()).isFalse());
    }

    @Test
    void cancellationBetweenPagesStopsWithoutSavingThatCursor() {
        sink.cancelWhen(() -> sink.progress().contains(new InMemorySyncSink.Progress("appointments", 1, 2)));

        SyncResult result = connector.sync(new SyncRequest("run-c", SyncMode.FULL), sink);

        assertThat(result.complete()).isFalse();
        assertThat(result.message()).contains("appointments");
        // Later pages may have been requested ahead (the sync prefetches); none of them may be written.
        assertThat(sink.records(RecordKind.AVAILABILITY_SLOT, Object.class)).isEmpty();
        assertThat(sink.cursors()).doesNotContainKey("appointments").containsKey("clients");
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).containsOnlyKeys("a-1", "a-2", "a-3");
    }

    @Test
    void fullSyncRefusesToCompleteWhenTheBusinessIsMissing() {
        wm.stubFor(get(urlPathEqualTo("/api/v1/businesses")).willReturn(okJson("{\"data\":[],\"pagination\":{\"total_pages\":1}}")));

        assertThatThrownBy(() -> connector.sync(new SyncRequest("run-x", SyncMode.FULL), sink))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        // The other lists' first pages are requested alongside the businesses; none of them may be written.
        assertThat(sink.records(RecordKind.STAFF_MEMBER, Object.class)).isEmpty();
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).isEmpty();
        assertThat(sink.cursors()).isEmpty();
        wm.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/availability")));
    }

    @Test
    void locationFilterIsSentWhenConfigured() {
        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        values.put("locationId", "l-1");
        TestContext located = BooksyContexts.of(values);
        try (var c = new BooksyConnectorFactory().create(located)) {
            c.sync(new SyncRequest("run-l", SyncMode.FULL), new InMemorySyncSink());
        }
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/staff"))))
                .singleElement().satisfies(r -> assertThat(r.queryParameter("location_id").firstValue()).isEqualTo("l-1"));
    }

    @Test
    void verifyAccountChecksTheConfiguredBusinessIsAmongThoseTheCredentialsReach() {
        assertThat(connector.verifyAccount()).contains("b-1001");
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/businesses")))).singleElement()
                .satisfies(r -> assertThat(r.queryParameter("business_id").isPresent()).as("no filter").isFalse());

        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        values.put("businessId", "b-9999");
        try (var other = new BooksyConnectorFactory().create(BooksyContexts.of(values))) {
            assertThatThrownBy(other::verifyAccount)
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.AUTH_REQUIRED))
                    .hasMessageContaining("b-9999");
        }
    }

    @Test
    void withoutAConfiguredBusinessTheOneTheGrantCoversIsTakenAndUsedOnceBound() {
        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        values.remove("businessId");
        try (var unbound = new BooksyConnectorFactory().create(BooksyContexts.of(values))) {
            assertThatThrownBy(unbound::verifyAccount).as("businesses.json grants two")
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.INVALID_INPUT))
                    .hasMessageContaining("2 businesses");
            assertThatThrownBy(() -> unbound.sync(new SyncRequest("run-u", SyncMode.FULL), new InMemorySyncSink()))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.AUTH_REQUIRED));
        }
        wm.stubFor(get(urlPathEqualTo("/api/v1/businesses")).willReturn(okJson(
                "{\"data\":[{\"id\":\"b-1001\"}],\"pagination\":{\"total_pages\":1}}")));
        try (var single = new BooksyConnectorFactory().create(BooksyContexts.of(values))) {
            assertThat(single.verifyAccount()).contains("b-1001");
        }
        stubBooksy(wm);
        try (var bound = new BooksyConnectorFactory().create(BooksyContexts.of(values).withAccountId("b-1001"))) {
            bound.sync(new SyncRequest("run-b", SyncMode.FULL), new InMemorySyncSink());
            assertThat(bound.webhooks().accountId()).isEqualTo("b-1001");
        }
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/api/v1/staff")))).last()
                .satisfies(r -> assertThat(r.queryParameter("business_id").firstValue()).isEqualTo("b-1001"));
    }
}
