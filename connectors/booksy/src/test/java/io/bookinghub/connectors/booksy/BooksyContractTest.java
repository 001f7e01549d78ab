package io.bookinghub.connectors.booksy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.ConnectorContractTest;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.testkit.provider.Paging;
import io.bookinghub.testkit.provider.Resource;
import io.bookinghub.testkit.provider.ScriptedProvider;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connector kit's contract against the Booksy connector, with the kit's {@link ScriptedProvider} serving
 * Booksy's API: its paths, its {@code X-Api-Key} header, {@code page}/{@code per_page} pages with
 * {@code pagination.total_pages}, the {@code updated_since} filter, and the recorded payloads' rows (those a
 * connector must map; the rows it must skip are {@link BooksyConnectorSyncTest}'s). Pages are kept small, so every
 * list comes in several. Booksy declares OAUTH_CONNECT, API_KEY_AUTH, FULL_SYNC, INCREMENTAL_SYNC, WEBHOOKS,
 * AVAILABILITY and WRITE_BACK; the kit checks those and asserts UNSUPPORTED for FILE_IMPORT. Sync checks run in
 * api-key mode, so no authorization step is needed; the OAuth check uses an oauth-mode configuration. The WRITE_BACK
 * checks run against the Booksy sandbox, which books, moves and cancels for real.
 */
class BooksyContractTest extends ConnectorContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPOINTMENTS = "/api/v1/appointments";

    private ScriptedProvider provider;
    private BooksySandbox sandbox;

    @Override
    protected void setUpProvider() {
        Paging pages = Paging.pageCount("page", "per_page", "pagination.total_pages");
        Map<String, Object> haircut = rows("services.json", "svc-1").get(0);
        Map<String, Object> colouring = new LinkedHashMap<>(haircut);
        colouring.put("id", "svc-2");
        colouring.put("name", "Colouring");
        provider = ScriptedProvider.builder().credentialHeader("X-Api-Key", BooksyContexts.API_KEY)
                // The connection's business b-1001 and another one the key reaches, which the connector ignores.
                .resource(booksy("/api/v1/businesses", pages).records(rows("businesses.json", "b-1001", "b-2002")))
                .resource(booksy("/api/v1/staff", pages).kind(RecordKind.STAFF_MEMBER)
                        .records(rows("staff.json", "s-1", "s-2")))
                .resource(booksy("/api/v1/services", pages).kind(RecordKind.SERVICE)
                        .records(List.of(haircut, colouring)))
                .resource(booksy("/api/v1/clients", pages).kind(RecordKind.CLIENT)
                        .records(rows("clients.json", "c-1", "c-2")))
                .resource(booksy(APPOINTMENTS, pages).kind(RecordKind.APPOINTMENT).maxPageSize(3)
                        .versionField("version").records(rows("appointments-page1.json", "a-1", "a-2", "a-3"))
                        .records(rows("appointments-page2.json", "a-4")))
                // Slots have no id and no updated_since; their start tells them apart here.
                .resource(Resource.at("/api/v1/availability").idField("start").paging(pages)
                        .records(rows("availability.json")))
                .start();
        // Booksy's clock, not the hub's: its rows were stamped in November 2026, after the kit's clock, and the
        // connector's cursor follows Booksy's stamps.
        provider.clock().set(BooksyContexts.NOW);
    }

    /** A Booksy list: pages of one record (whatever per_page asks) and the updated_since filter. */
    private static Resource booksy(String path, Paging pages) {
        return Resource.at(path).paging(pages).maxPageSize(1).updatedAfter("updated_since", "updated_at");
    }

    /** The rows of a recorded payload with these ids (all rows when none are named), as the scripted data. */
    private static List<Map<String, Object>> rows(String payload, String... ids) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Payloads.items(payload).stream()
                .filter(item -> ids.length == 0 || List.of(ids).contains(item.path("id").asText()))
                .forEach(item -> rows.add(JSON.convertValue(item, new TypeReference<LinkedHashMap<String, Object>>() {
                })));
        return rows;
    }

    @Override
    protected void tearDownProvider() {
        if (provider != null) {
            provider.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    protected ScriptedProvider scriptedProvider() {
        return provider;
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
        Map<String, Object> values = BooksyContexts.apiKeyValues(provider.baseUrl());
        // Two attempts: one 503 or 429 is retried, and the error-mapping check does not wait through twenty.
        values.put("maxAttempts", "2");
        values.put("backoffBase", "PT0.01S");
        values.put("backoffCap", "PT0.05S");
        values.put("webhookSecret", BooksyWebhookVerificationTest.SECRET);
        return values;
    }

    @Override
    protected Map<String, Object> oauthConfig() {
        return BooksyContexts.oauthValues(provider.baseUrl());
    }

    @Override
    protected Set<String> secretPropertyNames() {
        return Set.of("clientSecret", "apiKey", "webhookSecret", "webhookSecretPrevious");
    }

    /** A note added to a-1 at Booksy, stamped with Booksy's clock (see {@link #setUpProvider()}). */
    @Override
    protected ChangedRecord changeOneRecordAtProvider() {
        provider.change(APPOINTMENTS, "a-1", a -> a.put("client_note", "Aisle seat"));
        return new ChangedRecord(RecordKind.APPOINTMENT, "a-1");
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
}
