package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.connector.BookingConnector;
import io.bookinghub.connector.BookingConnectorFactory;
import io.bookinghub.connector.Capability;
import io.bookinghub.connector.testkit.InMemorySyncSink;
import io.bookinghub.connector.testkit.TestContext;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.RecordKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
class CsvImportPluginIT {
    private static final String FACTORY = "io.bookinghub.connectors.csvimport.CsvImportConnectorFactory";

    @TempDir
    Path pluginsDir;

    private static Path builtZip() {
        String location = System.getProperty("csv.plugin.zip");
        assertThat(location).as("csv.plugin.zip system property (set by failsafe)").isNotNull();
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
            assertThat(properties).contains("plugin.id=csv-import").doesNotContain("${project.version}");
            String index = new String(zip.getInputStream(zip.getEntry("classes/META-INF/extensions.idx"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(index).contains(FACTORY);
        }
    }

    @Test
    void pf4jLoadsTheFactoryFromTheZipAndItImports() throws Exception {
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
            assertThat(manager.getPlugin("csv-import").getPluginState()).isEqualTo(PluginState.STARTED);
            List<BookingConnectorFactory> factories = manager.getExtensions(BookingConnectorFactory.class);
            assertThat(factories).singleElement().satisfies(f -> {
                assertThat(f.descriptor().id()).isEqualTo("csv-import");
                assertThat(f.descriptor().capabilities()).isEqualTo(Set.of(Capability.FILE_IMPORT));
            });
            assertThatThrownBy(() -> Class.forName(FACTORY)).as("connector classes must not be on the host classpath")
                    .isInstanceOf(ClassNotFoundException.class);
            BookingConnectorFactory factory = factories.get(0);
            ClassLoader pluginLoader = manager.getPluginClassLoader("csv-import");
            assertThat(factory.getClass().getClassLoader()).isSameAs(pluginLoader);
            assertThat(pluginLoader.loadClass(BookingConnectorFactory.class.getName()))
                    .isSameAs(BookingConnectorFactory.class);

            // Jackson comes from the zip's lib/ when a columnMapping is parsed and rows are written as JSON.
            TestContext context = TestContext.of(factory, Map.of("columnMapping",
                    "{\"appointments\": {\"price\": \"Cena\"}}"));
            InMemorySyncSink sink = new InMemorySyncSink();
            try (BookingConnector connector = factory.create(context)) {
                connector.fileImport().importFile("appointments", new ByteArrayInputStream(
                        ("Appointment ID;Date;Start time;End time;Cena\nA-1;28.03.2026;10:00;10:45;80,00\n")
                                .getBytes(StandardCharsets.UTF_8)), false, sink);
            }
            Appointment a = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("A-1");
            assertThat(a.price().amount()).isEqualByComparingTo("80");
            assertThat(a.rawJson()).isEqualTo(
                    "{\"Appointment ID\":\"A-1\",\"Date\":\"28.03.2026\",\"Start time\":\"10:00\","
                            + "\"End time\":\"10:45\",\"Cena\":\"80,00\"}");
        } finally {
            // stopPlugins() in PF4J 3.15 throws ConcurrentModificationException; unload the one plugin by id.
            if (manager.getPlugin("csv-import") != null) {
                manager.unloadPlugin("csv-import");
            }
        }
    }
}
