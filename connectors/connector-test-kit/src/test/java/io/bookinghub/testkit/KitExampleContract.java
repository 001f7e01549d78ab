package io.bookinghub.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.provider.Paging;
import io.bookinghub.testkit.provider.Resource;
import io.bookinghub.testkit.provider.ScriptedProvider;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract wired to {@link KitExampleConnectorFactory} and a {@link ScriptedProvider} playing the example
 * provider of the connector guide; with chosen mutants. Not named *Test: the mutants are run check by check from
 * {@link KitExampleMutantsTest}.
 */
class KitExampleContract extends ConnectorContractTest {
    static final String API_KEY = "ak-kit-example-0123";
    static final String WEBHOOK_SECRET = "wh-kit-example-4567";
    static final String ACCOUNT = "acct-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] STATUSES = {"booked", "confirmed", "cancelled", "no_show", "completed"};

    private final Set<KitExampleConnectorFactory.Mutant> mutants;
    private ScriptedProvider provider;

    KitExampleContract(Set<KitExampleConnectorFactory.Mutant> mutants) {
        this.mutants = mutants;
    }

    /**
     * Booking {@code i}: day {@code i} after 2026-03-20 at 10:00 in Warsaw, written with the offset of that day
     * (+01:00, and +02:00 from 29 March), statuses in turn, updated the day before the kit's clock starts.
     */
    static Map<String, Object> booking(int i) {
        ZonedDateTime start = ZonedDateTime.of(LocalDate.of(2026, 3, 20).plusDays(i), LocalTime.of(10, 0),
                TestContext.DEFAULT_ZONE);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", "b-" + i);
        b.put("service_id", "s-" + (1 + i % 3));
        b.put("staff_id", "st-" + (1 + i % 2));
        b.put("client", Map.of("id", "c-" + i, "name", "Client " + i));
        b.put("start", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start));
        b.put("end", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plusMinutes(45)));
        b.put("status", STATUSES[(i - 1) % STATUSES.length]);
        b.put("updated_at", TestContext.DEFAULT_NOW.minusSeconds(86_400).plusSeconds(60L * i).toString());
        b.put("version", 1);
        return b;
    }

    @Override
    protected void setUpProvider() {
        Paging pages = Paging.pageNumber("page", "per_page", "next_page");
        provider = ScriptedProvider.builder().credentialHeader("X-Api-Key", API_KEY)
                .resource(Resource.at("/services").kind(RecordKind.SERVICE).paging(pages).maxPageSize(2)
                        .records(List.of(Map.of("id", "s-1", "name", "Haircut", "duration_minutes", 30),
                                Map.of("id", "s-2", "name", "Colouring", "duration_minutes", 90),
                                Map.of("id", "s-3", "name", "Beard", "duration_minutes", 20))))
                .resource(Resource.at("/staff").kind(RecordKind.STAFF_MEMBER).paging(pages).maxPageSize(1)
                        .records(List.of(Map.of("id", "st-1", "name", "Ola"), Map.of("id", "st-2", "name", "Ewa"))))
                .resource(Resource.at("/bookings").kind(RecordKind.APPOINTMENT).paging(pages).maxPageSize(5)
                        .updatedAfter("updated_after", "updated_at").versionField("version")
                        .template(KitExampleContract::booking).records(12)
                        .changeBy(b -> b.put("status", "booked".equals(b.get("status")) ? "confirmed" : "booked")))
                .start();
    }

    @Override
    protected void tearDownProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    @Override
    protected ScriptedProvider scriptedProvider() {
        return provider;
    }

    @Override
    protected BookingConnectorFactory factory() {
        return new KitExampleConnectorFactory(mutants);
    }

    @Override
    protected Map<String, Object> validConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("baseUrl", provider.baseUrl());
        config.put("apiKey", API_KEY);
        config.put("accountId", ACCOUNT);
        config.put("webhookSecret", WEBHOOK_SECRET);
        return config;
    }

    @Override
    protected Set<String> secretPropertyNames() {
        return Set.of("apiKey", "webhookSecret");
    }

    /** Declared by hand from the provider's data, not computed by the connector's code path. */
    @Override
    protected List<ExpectedAppointment> expectedAppointments() {
        return List.of(
                new ExpectedAppointment("b-1", AppointmentStatus.BOOKED, Instant.parse("2026-03-21T09:00:00Z"),
                        Instant.parse("2026-03-21T09:45:00Z")),
                new ExpectedAppointment("b-2", AppointmentStatus.CONFIRMED, Instant.parse("2026-03-22T09:00:00Z"),
                        null),
                new ExpectedAppointment("b-4", AppointmentStatus.NO_SHOW, Instant.parse("2026-03-24T09:00:00Z"), null),
                new ExpectedAppointment("b-10", AppointmentStatus.COMPLETED, Instant.parse("2026-03-30T08:00:00Z"),
                        Instant.parse("2026-03-30T08:45:00Z")));
    }

    private static byte[] event(String type, Map<String, Object> booking) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account_id", ACCOUNT);
        body.put("event", type);
        body.put("booking", booking);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected byte[] sampleWebhookBody() {
        Map<String, Object> b = booking(2);
        b.put("status", "completed");
        b.put("version", 2);
        b.put("updated_at", "2026-03-20T07:30:00Z");
        return event("booking.updated", b);
    }

    @Override
    protected WebhookRequest signedWebhook(byte[] body) {
        return new WebhookRequest(body, Map.of(KitExampleConnectorFactory.SIGNATURE_HEADER,
                List.of(KitExampleConnectorFactory.sign(WEBHOOK_SECRET, body))));
    }

    @Override
    protected OutOfOrderWebhooks outOfOrderWebhooks() {
        Map<String, Object> newer = booking(3);
        newer.put("status", "cancelled");
        newer.put("version", 3);
        newer.put("updated_at", "2026-03-20T07:40:00Z");
        Map<String, Object> older = booking(3);
        older.put("status", "confirmed");
        older.put("version", 2);
        older.put("updated_at", "2026-03-20T07:20:00Z");
        return new OutOfOrderWebhooks(event("booking.cancelled", newer), event("booking.updated", older));
    }
}
