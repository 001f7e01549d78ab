package io.bookinghub.connectors.booksy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.ConnectorContractTest;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connector kit's contract against the Booksy connector, with WireMock serving the recorded payloads.
 * Booksy declares OAUTH_CONNECT, API_KEY_AUTH, FULL_SYNC, INCREMENTAL_SYNC, WEBHOOKS, AVAILABILITY and WRITE_BACK; the kit
 * checks those and asserts UNSUPPORTED for FILE_IMPORT. Sync checks run in api-key mode, so no
 * authorization step is needed; the OAuth check uses an oauth-mode configuration. The WRITE_BACK checks run
 * against the Booksy sandbox, which books, moves and cancels for real.
 */
class BooksyContractTest extends ConnectorContractTest {
    private WireMockServer wm;
    private BooksySandbox sandbox;

    @Override
    protected void setUpProvider() {
        wm = new WireMockServer(wireMockConfig().dynamicPort());
        wm.start();
        wm.stubFor(get(urlPathEqualTo("/api/v1/businesses")).willReturn(okJson(Payloads.text("businesses.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/staff")).willReturn(okJson(Payloads.text("staff.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/services")).willReturn(okJson(Payloads.text("services.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/clients")).willReturn(okJson(Payloads.text("clients.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/appointments")).withQueryParam("page", WireMock.equalTo("1"))
                .willReturn(okJson(Payloads.text("appointments-page1.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/appointments")).withQueryParam("page", WireMock.equalTo("2"))
                .willReturn(okJson(Payloads.text("appointments-page2.json"))));
        wm.stubFor(get(urlPathEqualTo("/api/v1/availability")).willReturn(okJson(Payloads.text("availability.json"))));
    }

    @Override
    protected void tearDownProvider() {
        if (wm != null) {
            wm.stop();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** Writes need a stand-in that keeps state: the sandbox, in api-key mode. */
    @Override
    protected Map<String, Object> writeBackConfig() {
        if (sandbox == null) {
            sandbox = BooksySandbox.builder().apiKey(BooksyContexts.API_KEY).build().start();
        }
        return BooksyContexts.apiKeyValues(sandbox.baseUrl());
    }

    /** A Tuesday at 10:00 in Warsaw, months after the sandbox's seeded appointments (its clock is the real one). */
    @Override
    protected BookableSlot bookableSlot() {
        ZoneId warsaw = ZoneId.of("Europe/Warsaw");
        LocalDate day = LocalDate.now(warsaw).plusDays(90).with(TemporalAdjusters.nextOrSame(DayOfWeek.TUESDAY));
        return new BookableSlot(sandbox.serviceIds().get(0), null, day.atTime(10, 0).atZone(warsaw).toInstant());
    }

    @Override
    protected BookingConnectorFactory factory() {
        return new BooksyConnectorFactory();
    }

    @Override
    protected Map<String, Object> validConfig() {
        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        // One attempt: the error-mapping check must see the mapped failure, not wait through retries.
        values.put("maxAttempts", "1");
        values.put("webhookSecret", BooksyWebhookVerificationTest.SECRET);
        return values;
    }

    @Override
    protected Map<String, Object> oauthConfig() {
        return BooksyContexts.oauthValues(wm.baseUrl());
    }

    @Override
    protected Set<String> secretPropertyNames() {
        return Set.of("clientSecret", "apiKey", "webhookSecret", "webhookSecretPrevious");
    }

    @Override
    protected ChangedRecord changeOneRecordAtProvider() {
        // Incremental reads carry updated_since: answer them with only the changed client.
        String empty = "{\"data\":[],\"pagination\":{\"page\":1,\"per_page\":100,\"total_pages\":1,\"total_count\":0}}";
        wm.stubFor(get(urlPathMatching("/api/v1/.*")).atPriority(1)
                .withQueryParam("updated_since", matching(".+")).willReturn(okJson(empty)));
        wm.stubFor(get(urlPathEqualTo("/api/v1/clients")).atPriority(0)
                .withQueryParam("updated_since", matching(".+")).willReturn(okJson(
                        "{\"data\":[{\"id\":\"c-1\",\"first_name\":\"Jan\",\"last_name\":\"Kowalski-Nowak\","
                                + "\"email\":\"jan@example.com\",\"phone\":\"+48600100200\","
                                + "\"updated_at\":\"2026-11-23T10:00:00Z\"}],"
                                + "\"pagination\":{\"page\":1,\"per_page\":100,\"total_pages\":1,\"total_count\":1}}")));
        return new ChangedRecord(RecordKind.CLIENT, "c-1");
    }

    @Override
    protected byte[] sampleWebhookBody() {
        return Payloads.webhook("appointment-updated.json").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected WebhookRequest signedWebhook(byte[] body) {
        Map<String, List<String>> headers = new HashMap<>();
        WebhookSigner.standardWebhooksHeaders(BooksyWebhookVerificationTest.SECRET, "evt_kit_1",
                TestContext.DEFAULT_NOW, body).forEach((k, v) -> headers.put(k, List.of(v)));
        return new WebhookRequest(body, headers);
    }

    /** Every page of the recorded payloads (appointments come in two; a-4 is on the second), less the rows they skip. */
    @Override
    protected Map<RecordKind, Integer> expectedRecordCounts() {
        return Map.of(RecordKind.SERVICE, 1, RecordKind.STAFF_MEMBER, 2, RecordKind.CLIENT, 2,
                RecordKind.APPOINTMENT, 4);
    }

    /** From appointments-page1/2.json, whose times carry +01:00 (Warsaw in November). */
    @Override
    protected List<ExpectedAppointment> expectedAppointments() {
        return List.of(
                new ExpectedAppointment("a-1", AppointmentStatus.CONFIRMED, Instant.parse("2026-11-24T09:00:00Z"),
                        Instant.parse("2026-11-24T09:30:00Z")),
                new ExpectedAppointment("a-2", AppointmentStatus.CANCELLED_BY_CLIENT,
                        Instant.parse("2026-11-25T09:00:00Z"), Instant.parse("2026-11-25T10:30:00Z")),
                new ExpectedAppointment("a-4", AppointmentStatus.NO_SHOW, Instant.parse("2026-11-20T08:00:00Z"),
                        Instant.parse("2026-11-20T08:30:00Z")));
    }

    /** Booksy's events carry the whole appointment with its version: version 3 confirmed, then version 2 booked. */
    @Override
    protected OutOfOrderWebhooks outOfOrderWebhooks() {
        String sample = Payloads.webhook("appointment-updated.json");
        String newer = sample.replace("\"version\":2", "\"version\":3");
        String older = sample.replace("evt_2Kq7dB3mZ4", "evt_2Kq7dB3mZ3").replace("\"status\":\"confirmed\"",
                "\"status\":\"booked\"");
        return new OutOfOrderWebhooks(newer.getBytes(StandardCharsets.UTF_8), older.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void makeProviderFail(int status) {
        wm.stubFor(any(anyUrl()).atPriority(0).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"failure\"}")));
    }
}
