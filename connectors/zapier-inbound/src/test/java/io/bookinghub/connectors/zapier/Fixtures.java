package io.bookinghub.connectors.zapier;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Configurations and requests shared by the tests. */
final class Fixtures {
    static final String SECRET = "zap-secret-0123456789abcdef";
    static final String PREVIOUS_SECRET = "zap-old-secret-9876543210fedcba";

    /** The README's example mapping, for a provider posting {"id", "customer": {...}, "when", ...}. */
    static final String APPOINTMENT_MAPPING = """
            {
              "externalId": "/id",
              "clientName": "/customer/name",
              "clientEmail": "/customer/email",
              "clientPhone": "/customer/phone",
              "start": {"pointer": "/when", "format": "yyyy-MM-dd HH:mm"},
              "durationMinutes": "/minutes",
              "status": {"pointer": "/state", "map": {"new": "BOOKED", "done": "COMPLETED", "gone": "cancelled_by_client"}, "default": "BOOKED"},
              "cancellationReason": "/why",
              "price": {"pointer": "/amount", "currency": "EUR"},
              "timeZone": {"constant": "Europe/Berlin"},
              "staffName": "/staff",
              "serviceName": "/service/title",
              "clientNote": "/note"
            }
            """;

    static final String ONE_APPOINTMENT = """
            {"id": "apt-1", "when": "2026-03-28 10:00", "minutes": 45, "state": "new", "amount": "80.50",
             "customer": {"name": "Anna Nowak", "email": "Anna@Example.com", "phone": "+49 30 1234"},
             "staff": "Ola", "service": {"title": "Haircut"}, "note": "first visit", "rev": 3,
             "changed": "2026-03-20T07:59:00Z", "zapEvent": "evt-1"}
            """;

    private Fixtures() {
    }

    static Map<String, Object> config(String mapping) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("sharedSecret", SECRET);
        config.put("mapping", mapping);
        return config;
    }

    static Map<String, Object> config(String mapping, Map<String, Object> extra) {
        Map<String, Object> config = config(mapping);
        config.putAll(extra);
        return config;
    }

    static WebhookHandler handler(Map<String, Object> config) {
        return handler(TestContext.of(new ZapierInboundConnectorFactory(), config));
    }

    static WebhookHandler handler(TestContext context) {
        BookingConnector connector = new ZapierInboundConnectorFactory().create(context);
        return connector.webhooks();
    }

    static WebhookRequest bearer(String token, String body) {
        return new WebhookRequest(bytes(body), Map.of("Authorization", List.of("Bearer " + token)));
    }

    static WebhookRequest hmac(String header, String secret, String body) {
        return new WebhookRequest(bytes(body), Map.of(header, List.of(WebhookSigner.hexHmacHeader(secret,
                bytes(body)))));
    }

    static WebhookRequest unsigned(String body) {
        return new WebhookRequest(bytes(body), Map.of());
    }

    static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
