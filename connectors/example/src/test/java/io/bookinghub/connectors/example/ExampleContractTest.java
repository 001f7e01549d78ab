package io.bookinghub.connectors.example;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.ConnectorContractTest;
import io.bookinghub.testkit.provider.Paging;
import io.bookinghub.testkit.provider.Resource;
import io.bookinghub.testkit.provider.ScriptedProvider;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector test kit's contract, against the kit's scripted stand-in for the provider: three pages of each
 * list, bookings with an updated_after filter and versions, and signed webhooks.
 */
class ExampleContractTest extends ConnectorContractTest {
    private static final String API_KEY = "test-api-key-1";
    private static final String WEBHOOK_SECRET = "test-webhook-secret-0123456789";
    private static final String[] STATUSES = {"booked", "confirmed", "cancelled", "no_show", "completed"};

    private ScriptedProvider provider;

    @Override
    protected BookingConnectorFactory factory() {
        return new ExampleConnectorFactory();
    }

    @Override
    protected void setUpProvider() {
        Paging pages = Paging.pageNumber("page", "per_page", "next_page");
        provider = ScriptedProvider.builder().credentialHeader("X-Api-Key", API_KEY)
                .resource(Resource.at("/services").kind(RecordKind.SERVICE).paging(pages).maxPageSize(2)
                        .template(i -> Map.of("id", "svc-" + i, "name", "Service " + i, "duration_minutes", 30 + i,
                                "price", "80.00", "currency", "PLN")).records(5))
                .resource(Resource.at("/staff").kind(RecordKind.STAFF_MEMBER).paging(pages).maxPageSize(2)
                        .template(i -> Map.of("id", "st-" + i, "name", "Staff " + i)).records(5))
                .resource(Resource.at("/bookings").kind(RecordKind.APPOINTMENT).paging(pages).maxPageSize(2)
                        .updatedAfter("updated_after", "updated_at").versionField("version")
                        .template(ExampleContractTest::booking).changeBy(b -> b.put("status", "completed"))
                        .records(5))
                .start();
    }

    @Override
    protected void tearDownProvider() {
        provider.close();
    }

    @Override
    protected ScriptedProvider scriptedProvider() {
        return provider;
    }

    @Override
    protected Map<String, Object> validConfig() {
        return Map.of("baseUrl", provider.baseUrl(), "apiKey", API_KEY,
                "webhookSecret", WEBHOOK_SECRET, "accountId", "acc-1");
    }

    /** Booking i: 10:00 local (+01:00) on day i, a status of each kind, one walk-in without a client id. */
    static Map<String, Object> booking(int i) {
        Map<String, Object> client = new LinkedHashMap<>(Map.of("name", "Client " + i, "email", "c" + i + "@example.com"));
        if (i != 2) {
            client.put("id", "c-" + i);
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", "b-" + i);
        b.put("service_id", "svc-1");
        b.put("staff_id", "st-1");
        b.put("client", client);
        b.put("start", "2026-03-1" + i + "T10:00:00+01:00");
        b.put("end", "2026-03-1" + i + "T10:45:00+01:00");
        b.put("status", STATUSES[(i - 1) % STATUSES.length]);
        b.put("updated_at", "2026-03-0" + i + "T08:00:00Z");
        b.put("version", 1);
        return b;
    }

    @Override
    protected List<ExpectedAppointment> expectedAppointments() {
        return List.of(
                new ExpectedAppointment("b-1", AppointmentStatus.BOOKED, Instant.parse("2026-03-11T09:00:00Z"),
                        Instant.parse("2026-03-11T09:45:00Z")),
                new ExpectedAppointment("b-2", AppointmentStatus.CONFIRMED, Instant.parse("2026-03-12T09:00:00Z"),
                        Instant.parse("2026-03-12T09:45:00Z")),
                new ExpectedAppointment("b-3", AppointmentStatus.CANCELLED,
                        Instant.parse("2026-03-13T09:00:00Z"), null),
                new ExpectedAppointment("b-4", AppointmentStatus.NO_SHOW, Instant.parse("2026-03-14T09:00:00Z"), null));
    }

    @Override
    protected byte[] sampleWebhookBody() {
        return webhook("booking.updated", booking(1));
    }

    @Override
    protected OutOfOrderWebhooks outOfOrderWebhooks() {
        Map<String, Object> newer = booking(1);
        newer.put("status", "cancelled");
        newer.put("version", 2);
        newer.put("updated_at", "2026-03-19T08:00:00Z");
        return new OutOfOrderWebhooks(webhook("booking.cancelled", newer), webhook("booking.created", booking(1)));
    }

    @Override
    protected WebhookRequest signedWebhook(byte[] body) {
        return new WebhookRequest(body, Map.of("X-Signature", List.of(WebhookSigner.hexHmac(WEBHOOK_SECRET, body))));
    }

    private static byte[] webhook(String event, Map<String, Object> booking) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account_id", "acc-1");
        body.put("event", event);
        body.put("booking", booking);
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
