package io.bookinghub.connectors.zapier;

import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.ConnectorContractTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connector kit's contract: WEBHOOKS is checked, every other capability must be refused as UNSUPPORTED.
 * It runs in HMAC mode because the kit checks that a body changed after signing is refused, which a bearer
 * token cannot detect (bearer mode is covered by {@link VerificationTest}).
 */
class ZapierInboundContractTest extends ConnectorContractTest {

    @Override
    protected BookingConnectorFactory factory() {
        return new ZapierInboundConnectorFactory();
    }

    @Override
    protected Map<String, Object> validConfig() {
        return Fixtures.config(Fixtures.APPOINTMENT_MAPPING, Map.of("authMode", "hmac", "eventIdPointer", "/zapEvent",
                "versionPointer", "/rev"));
    }

    @Override
    protected Set<String> secretPropertyNames() {
        return Set.of("sharedSecret", "previousSharedSecret");
    }

    @Override
    protected Set<String> webhookSecretPropertyNames() {
        return Set.of("sharedSecret", "previousSharedSecret");
    }

    @Override
    protected Map<String, Map<String, Object>> invalidConfigs() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        out.put("sharedSecret", with("sharedSecret", "too-short"));
        out.put("previousSharedSecret", with("previousSharedSecret", "short"));
        out.put("hmacHeader", with("hmacHeader", "X Signature"));
        out.put("accountId", with("accountId", "two words"));
        out.put("eventIdPointer", with("eventIdPointer", "zapEvent"));
        out.put("versionPointer", with("versionPointer", "rev"));
        out.put("mapping", with("mapping", "[\"externalId\"]"));
        out.put("mapping.externalId", with("mapping", "{\"start\": \"/when\", \"end\": \"/until\"}"));
        out.put("mapping.start", with("mapping", Fixtures.APPOINTMENT_MAPPING.replace("yyyy-MM-dd HH:mm",
                "yyyy-MM-dd")));
        out.put("mapping.status", with("mapping", Fixtures.APPOINTMENT_MAPPING.replace("\"COMPLETED\"",
                "\"FINISHED\"")));
        out.put("mapping.price", with("mapping", Fixtures.APPOINTMENT_MAPPING.replace("\"currency\": \"EUR\"",
                "\"currency\": \"EURO\"")));
        out.put("mapping.clientEmails", with("mapping", Fixtures.APPOINTMENT_MAPPING.replace("\"clientEmail\"",
                "\"clientEmails\"")));
        return out;
    }

    private Map<String, Object> with(String key, Object value) {
        Map<String, Object> config = new LinkedHashMap<>(validConfig());
        config.put(key, value);
        return config;
    }

    @Override
    protected byte[] sampleWebhookBody() {
        return Fixtures.bytes("[" + Fixtures.ONE_APPOINTMENT + ", "
                + Fixtures.ONE_APPOINTMENT.replace("apt-1", "apt-2").replace("evt-1", "evt-2")
                        .replace("Anna Nowak", "Jan Kowalski").replace("Anna@Example.com", "jan@example.com")
                        .replace("\"state\": \"new\"", "\"state\": \"done\"") + "]");
    }

    /** The mapping's constant zone is Berlin (+01:00 on 28 March); "new" maps to BOOKED, "done" to COMPLETED. */
    @Override
    protected List<ExpectedAppointment> expectedAppointments() {
        return List.of(
                new ExpectedAppointment("apt-1", AppointmentStatus.BOOKED, Instant.parse("2026-03-28T09:00:00Z"),
                        Instant.parse("2026-03-28T09:45:00Z")),
                new ExpectedAppointment("apt-2", AppointmentStatus.COMPLETED, Instant.parse("2026-03-28T09:00:00Z"),
                        Instant.parse("2026-03-28T09:45:00Z")));
    }

    /** Versions come from versionPointer /rev: rev 4 completed, then the older rev 3 still new. */
    @Override
    protected OutOfOrderWebhooks outOfOrderWebhooks() {
        String newer = Fixtures.ONE_APPOINTMENT.replace("\"rev\": 3", "\"rev\": 4").replace("evt-1", "evt-4")
                .replace("\"state\": \"new\"", "\"state\": \"done\"");
        return new OutOfOrderWebhooks(Fixtures.bytes(newer), Fixtures.bytes(Fixtures.ONE_APPOINTMENT));
    }

    /** Zapier posts to the connection's own webhook URL; accountId is only a label. */
    @Override
    protected boolean webhooksRoutedByAccount() {
        return false;
    }

    @Override
    protected WebhookRequest signedWebhook(byte[] body) {
        return Fixtures.hmac("X-Signature", Fixtures.SECRET, new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
}
