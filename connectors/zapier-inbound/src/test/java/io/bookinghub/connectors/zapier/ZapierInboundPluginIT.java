package io.bookinghub.connectors.zapier;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.Money;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.PluginZip;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the packaged zip with a real PF4J plugin manager in DEPLOYMENT mode. Failsafe runs this without the
 * connector's main classes on the classpath (see the pom), so the only copy PF4J can find is the zip's.
 */
class ZapierInboundPluginIT {
    private static final String PLUGIN = "zapier-inbound";
    private static final String FACTORY = "io.bookinghub.connectors.zapier.ZapierInboundConnectorFactory";
    private static final String SECRET = "it-secret-0123456789abcdef";

    @TempDir
    Path pluginsDir;

    @Test
    void zipHasThePf4jLayout() throws Exception {
        List<String> names = PluginZip.assertLayout(PluginZip.fromSystemProperty("zapier.plugin.zip"), PLUGIN,
                FACTORY);
        assertThat(names).anyMatch(n -> n.matches("lib/jackson-databind-.*\\.jar"));
    }

    @Test
    void pf4jLoadsTheFactoryFromTheZipAndAPostedBatchLands() throws Exception {
        try (PluginZip.Deployed plugin = PluginZip.deploy(PluginZip.fromSystemProperty("zapier.plugin.zip"),
                pluginsDir, PLUGIN, FACTORY)) {
            BookingConnectorFactory factory = plugin.factory();
            assertThat(factory.descriptor().capabilities()).isEqualTo(Set.of(Capability.WEBHOOKS));

            // Jackson comes from the zip's lib/ when the mapping and the posted batch are read.
            TestContext context = TestContext.of(factory, Map.of("authMode", "hmac", "sharedSecret", SECRET,
                    "mapping", "{\"externalId\": \"/id\", \"start\": \"/start\", \"end\": \"/end\", "
                            + "\"price\": {\"pointer\": \"/price\", \"currency\": \"PLN\"}}"));
            byte[] body = ("[{\"id\": \"z-1\", \"start\": \"2026-03-28T10:00\", \"end\": \"2026-03-28T10:45\", "
                    + "\"price\": 80.00}, {\"id\": \"z-2\", \"start\": \"2026-03-28T11:00:00Z\", "
                    + "\"end\": \"2026-03-28T12:00:00Z\"}]").getBytes(StandardCharsets.UTF_8);
            WebhookRequest request = new WebhookRequest(body,
                    Map.of("X-Signature", List.of(WebhookSigner.hexHmacHeader(SECRET, body))));
            InMemorySyncSink sink = new InMemorySyncSink();
            try (BookingConnector connector = factory.create(context)) {
                connector.webhooks().verify(request);
                List<WebhookEvent> events = connector.webhooks().parse(request);
                assertThat(events).hasSize(2);
                for (WebhookEvent event : events) {
                    connector.webhooks().apply(event, sink);
                }
            }
            Map<String, Appointment> stored = sink.records(RecordKind.APPOINTMENT, Appointment.class);
            assertThat(stored).containsOnlyKeys("z-1", "z-2");
            // 10:00 local in the kit's default zone (Warsaw, +01:00 in March before the change).
            assertThat(stored.get("z-1").start()).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
            assertThat(stored.get("z-1").price()).isEqualTo(Money.of("80", "PLN"));
        }
    }
}
