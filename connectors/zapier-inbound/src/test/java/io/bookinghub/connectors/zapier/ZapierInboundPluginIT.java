package io.bookinghub.connectors.zapier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.connector.BookingConnector;
import io.bookinghub.connector.BookingConnectorFactory;
import io.bookinghub.connector.Capability;
import io.bookinghub.connector.testkit.InMemorySyncSink;
import io.bookinghub.connector.testkit.TestContext;
import io.bookinghub.connector.webhook.WebhookEvent;
import io.bookinghub.connector.webhook.WebhookRequest;
import io.bookinghub.connector.webhook.signature.WebhookSigner;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.Money;
import io.bookinghub.model.RecordKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.RuntimeMode;

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

    private static Path builtZip() {
        String location = System.getProperty("zapier.plugin.zip");
        assertThat(location).as("zapier.plugin.zip system property (set by failsafe)").isNotNull();
        Path zip = Path.of(location);
        assertThat(zip).exists();
        return zip;
    }

    @Test
    void zipHasThePf4jLayout() throws Exception {
        try (ZipFile zip = new ZipFile(builtZip().toFile())) {
            List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("plugin.properties", "classes/META-INF/extensions.idx",
                    "classes/" + FACTORY.replace('.', '/') + ".class");
            assertThat(names).anyMatch(n -> n.matches("lib/jackson-databind-.*\\.jar"));
            assertThat(names).noneMatch(n -> n.startsWith("lib/connector-api") || n.startsWith("lib/pf4j")
                    || n.startsWith("lib/connector-test-kit") || n.startsWith("lib/junit")
                    || n.startsWith("lib/assertj"));
            String properties = new String(zip.getInputStream(zip.getEntry("plugin.properties")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(properties).contains("plugin.id=zapier-inbound").doesNotContain("${project.version}");
            String index = new String(zip.getInputStream(zip.getEntry("classes/META-INF/extensions.idx"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(index).contains(FACTORY);
        }
    }

    @Test
    void pf4jLoadsTheFactoryFromTheZipAndAPostedBatchLands() throws Exception {
        Path zip = builtZip();
        Files.copy(zip, pluginsDir.resolve(zip.getFileName()));
        DefaultPluginManager manager = new DefaultPluginManager(pluginsDir) {
            @Override
            public RuntimeMode getRuntimeMode() {
                return RuntimeMode.DEPLOYMENT;
            }
        };
        try {
            manager.loadPlugins();
            manager.startPlugins();
            assertThat(manager.getPlugin(PLUGIN).getPluginState()).isEqualTo(PluginState.STARTED);
            List<BookingConnectorFactory> factories = manager.getExtensions(BookingConnectorFactory.class);
            assertThat(factories).singleElement().satisfies(f -> {
                assertThat(f.descriptor().id()).isEqualTo(PLUGIN);
                assertThat(f.descriptor().capabilities()).isEqualTo(Set.of(Capability.WEBHOOKS));
            });
            assertThatThrownBy(() -> Class.forName(FACTORY)).as("connector classes must not be on the host classpath")
                    .isInstanceOf(ClassNotFoundException.class);
            BookingConnectorFactory factory = factories.get(0);
            ClassLoader pluginLoader = manager.getPluginClassLoader(PLUGIN);
            assertThat(factory.getClass().getClassLoader()).isSameAs(pluginLoader);
            assertThat(pluginLoader.loadClass(BookingConnectorFactory.class.getName()))
                    .isSameAs(BookingConnectorFactory.class);

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
        } finally {
            // stopPlugins() in PF4J 3.15 throws ConcurrentModificationException; unload the one plugin by id.
            if (manager.getPlugin(PLUGIN) != null) {
                manager.unloadPlugin(PLUGIN);
            }
        }
    }
}
