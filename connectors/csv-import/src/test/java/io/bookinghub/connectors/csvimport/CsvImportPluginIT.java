package io.bookinghub.connectors.csvimport;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.testkit.InMemorySyncSink;
import io.bookinghub.testkit.PluginZip;
import io.bookinghub.testkit.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the packaged zip with a real PF4J plugin manager in DEPLOYMENT mode. Failsafe runs this without the
 * connector's main classes on the classpath (see the pom), so the only copy PF4J can find is the zip's.
 */
class CsvImportPluginIT {
    private static final String FACTORY = "io.bookinghub.connectors.csvimport.CsvImportConnectorFactory";

    @TempDir
    Path pluginsDir;

    @Test
    void zipHasThePf4jLayout() throws Exception {
        List<String> names = PluginZip.assertLayout(PluginZip.fromSystemProperty("csv.plugin.zip"), "csv-import",
                FACTORY);
        assertThat(names).anyMatch(n -> n.matches("lib/jackson-databind-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/fastcsv-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/fastexcel-reader-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/aalto-xml-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/commons-compress-.*\\.jar"));
    }

    @Test
    void pf4jLoadsTheFactoryFromTheZipAndItImports() throws Exception {
        try (PluginZip.Deployed plugin = PluginZip.deploy(PluginZip.fromSystemProperty("csv.plugin.zip"), pluginsDir,
                "csv-import", FACTORY)) {
            BookingConnectorFactory factory = plugin.factory();
            assertThat(factory.descriptor().capabilities()).isEqualTo(Set.of(Capability.FILE_IMPORT));

            // Jackson comes from the zip's lib/ when a columnMapping is parsed and rows are written as JSON.
            TestContext context = TestContext.of(factory, Map.of("columnMapping",
                    "{\"appointments\": {\"price\": \"Cena\"}}"));
            InMemorySyncSink sink = new InMemorySyncSink();
            try (BookingConnector connector = factory.create(context)) {
                connector.fileImport().importFile("appointments", new ByteArrayInputStream(
                        ("Appointment ID;Date;Start time;End time;Cena\nA-1;28.03.2026;10:00;10:45;80,00\n")
                                .getBytes(StandardCharsets.UTF_8)), false, sink);
            }
            // The XLSX reader (fastexcel-reader, aalto-xml, commons-compress) loads from the zip's lib/ too.
            ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
            XlsxVolume.write(xlsx, 2, 2);
            try (BookingConnector connector = factory.create(TestContext.of(factory, Map.of()))) {
                connector.fileImport().importFile("auto", new ByteArrayInputStream(xlsx.toByteArray()), false, sink);
            }
            assertThat(sink.skipped()).isEmpty();
            assertThat(sink.records(RecordKind.APPOINTMENT, Appointment.class)).containsOnlyKeys("A-1", "1", "2");
            Appointment a = sink.records(RecordKind.APPOINTMENT, Appointment.class).get("A-1");
            assertThat(a.price().amount()).isEqualByComparingTo("80");
            assertThat(a.rawJson()).isEqualTo(
                    "{\"Appointment ID\":\"A-1\",\"Date\":\"28.03.2026\",\"Start time\":\"10:00\","
                            + "\"End time\":\"10:45\",\"Cena\":\"80,00\"}");
        }
    }
}
