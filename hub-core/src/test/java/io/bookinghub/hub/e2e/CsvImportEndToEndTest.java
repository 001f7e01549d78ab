package io.bookinghub.hub.e2e;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.jackson.JacksonFeature;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real CSV import plugin zip, loaded by the hub in deployment mode: uploads of Booksy's CSV exports
 * through {@code POST .../connections/csv-import/imports}, over real HTTP into real PostgreSQL.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CsvImportEndToEndTest {
    // Decimals as BigDecimal, so an amount's scale (120.00, not 120) is what the test sees.
    private static final ObjectMapper JSON = Jackson.newObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Path PLUGINS = plugins();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final Client CLIENT = ClientBuilder.newClient().register(new JacksonFeature(JSON));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final String APPOINTMENTS_HEADER = "Appointment ID,Date,Start time,End time,Service,Staff,Client,"
            + "Client phone,Client email,Price,Status,Notes\n";
    static final String APPOINTMENTS = APPOINTMENTS_HEADER
            + "A-1,02.03.2026,10:00,10:45,Haircut,Ola,Anna Nowak,+48 600 100 200,anna@example.com,\"120,00 zł\","
            + "Confirmed,\n"
            + "A-2,02.03.2026,11:00,12:30,Colouring,Ola,Jan Kowalski,+48 600 300 400,,250 zł,Booked,first visit\n";
    // Booksy's client export without ids: appointments refer to clients by the same name-derived key.
    static final String CLIENTS = "Name,Phone,Email\n"
            + "Anna Nowak,+48 600 100 200,anna@example.com\n"
            + "Jan Kowalski,+48 600 300 400,\n";
    static final String SERVICES = "Service ID;Service;Category;Duration;Price;Description\n"
            + "S-1;Haircut;Hair;45;120 zł;Wash and cut\n"
            + "S-2;Colouring;Hair;1h 30min;250 zł;\n";

    static {
        try {
            APP = HubTestApp.extension(DB, PLUGINS, Files.createTempDirectory("var"), HubTestApp.environment(),
                    ConfigOverride.config("sync.schedulerEnabled", "false"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A FILE_IMPORT connector written for SPI 1.0: it implements only {@code importFile(..., SyncSink)}, reports
     * rows through {@code skipped} and a stage through {@code progress}, and upserts one client per line
     * ({@code id=name}; an empty name is skipped) unless it is a dry run.
     */
    static final String LEGACY_SOURCE = """
            package com.example.legacy;

            import io.bookinghub.spi.*;
            import io.bookinghub.spi.fileimport.FileImporter;
            import io.bookinghub.spi.sync.*;
            import io.bookinghub.model.*;
            import java.io.*;
            import java.nio.charset.StandardCharsets;
            import java.util.*;

            @org.pf4j.Extension
            public class TestConnectorFactory implements BookingConnectorFactory {
                static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("legacy", "Legacy importer", "1.0.0",
                        "an SPI 1.0 file importer", EnumSet.of(Capability.FILE_IMPORT), List.of());

                @Override
                public ConnectorDescriptor descriptor() {
                    return DESCRIPTOR;
                }

                @Override
                public BookingConnector create(ConnectorContext context) {
                    return new BookingConnector() {
                        @Override
                        public ConnectorDescriptor descriptor() {
                            return DESCRIPTOR;
                        }

                        @Override
                        public FileImporter fileImport() {
                            return new FileImporter() {
                                @Override
                                public void importFile(String kind, InputStream input, boolean dryRun, SyncSink sink) {
                                    try {
                                        String[] lines = new String(input.readAllBytes(), StandardCharsets.UTF_8).split("\\n");
                                        for (String line : lines) {
                                            String[] kv = line.split("=", 2);
                                            if (kv.length < 2 || kv[1].isBlank()) {
                                                sink.skipped(RecordKind.CLIENT, kv[0], "no name");
                                            } else if (!dryRun) {
                                                sink.upsert(new Client(new ExternalRef("legacy", kv[0]), kv[1], null, null, null, null));
                                            }
                                        }
                                        sink.progress("lines", lines.length, lines.length);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                }
                            };
                        }
                    };
                }
            }
            """;

    /**
     * The zip the connectors/csv-import module packaged, a test connector that cannot import files and one that
     * imports them through SPI 1.0.
     */
    private static Path plugins() {
        Path target = BuiltPlugins.copy("csv-import-connector");
        TestPlugins.buildZip(target, "plain", "com.example.plain",
                TestPlugins.connectorSource("com.example.plain", "plain", TestPlugins.standardDescriptor("plain")));
        TestPlugins.buildZip(target, "legacy", "com.example.legacy", LEGACY_SOURCE, "^2.0");
        return target;
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static Invocation.Builder call(String path, String token) {
        return CLIENT.target("http://localhost:" + APP.getLocalPort() + path).request(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + token);
    }

    private static JsonNode json(Response response, int status) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        return parse(body);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(body, e);
        }
    }

    private static UUID business(String name) {
        return UUID.fromString(json(call("/admin/businesses", ADMIN_TOKEN).post(Entity.json(Map.of("name", name,
                "timeZone", "Europe/Warsaw"))), 201).get("id").asText());
    }

    /** A business with an enabled csv-import connection (the Booksy preset: every property at its default). */
    private static UUID businessWithCsv(String name) {
        UUID business = business(name);
        json(call(connection(business, "csv-import"), ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of()))), 200);
        return business;
    }

    private static String connection(UUID business, String connectorId) {
        return "/admin/businesses/" + business + "/connections/" + connectorId;
    }

    private static String imports(UUID business, String kind, boolean dryRun) {
        return connection(business, "csv-import") + "/imports" + (kind == null ? "" : "?kind=" + kind
                + "&dryRun=" + dryRun);
    }

    private static Response upload(UUID business, String kind, boolean dryRun, String csv) {
        return upload(imports(business, kind, dryRun), ADMIN_TOKEN, csv);
    }

    private static Response upload(String path, String token, String csv) {
        return call(path, token).post(Entity.entity(csv.getBytes(StandardCharsets.UTF_8), "text/csv"));
    }

    private static JsonNode imported(UUID business, String kind, String csv) {
        return json(upload(business, kind, false, csv), 200);
    }

    private static JsonNode list(UUID business, String what) {
        return json(call("/admin/businesses/" + business + "/" + what + "?limit=500", ADMIN_TOKEN).get(), 200)
                .get("items");
    }

    private static JsonNode byExternalId(JsonNode items, String externalId) {
        for (JsonNode item : items) {
            if (item.get("externalId").asText().equals(externalId)) {
                return item;
            }
        }
        throw new AssertionError("no record " + externalId + " in " + items);
    }

    private static void assertCounts(JsonNode run, long created, long updated, long unchanged, long skipped) {
        assertThat(List.of(run.get("createdCount").asLong(), run.get("updatedCount").asLong(),
                run.get("unchangedCount").asLong(), run.get("skippedCount").asLong()))
                .as("created, updated, unchanged, skipped of " + run)
                .containsExactly(created, updated, unchanged, skipped);
    }

    private static List<String> messages(JsonNode errors) {
        List<String> out = new ArrayList<>();
        errors.forEach(e -> out.add(e.get("message").asText()));
        return out;
    }

    // --------------------------------------------------------------------------------------------- tests

    @Test
    void importsTheThreeExportsIntoTheSharedModelAsImportRuns() {
        UUID business = businessWithCsv("Three exports");

        JsonNode services = imported(business, "services", SERVICES);
        assertThat(services.get("run").get("mode").asText()).isEqualTo("IMPORT");
        assertThat(services.get("run").get("trigger").asText()).isEqualTo("upload");
        assertThat(services.get("run").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(services.get("dryRun").asBoolean()).isFalse();
        assertThat(services.get("errors")).isEmpty();
        assertCounts(services.get("run"), 2, 0, 0, 0);
        assertCounts(imported(business, "clients", CLIENTS).get("run"), 2, 0, 0, 0);
        JsonNode appointments = imported(business, "appointments", APPOINTMENTS);
        assertCounts(appointments.get("run"), 2, 0, 0, 0);
        assertThat(appointments.get("valid").asLong()).isEqualTo(2);
        assertThat(appointments.get("invalid").asLong()).isZero();

        JsonNode haircut = byExternalId(list(business, "services"), "S-1");
        assertThat(haircut.get("name").asText()).isEqualTo("Haircut");
        assertThat(haircut.get("connectorId").asText()).isEqualTo("csv-import");
        assertThat(list(business, "clients")).extracting(c -> c.get("name").asText())
                .containsExactlyInAnyOrder("Anna Nowak", "Jan Kowalski");
        JsonNode a1 = byExternalId(list(business, "appointments"), "A-1");
        assertThat(a1.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(a1.get("start").asText()).isEqualTo("2026-03-02T09:00:00Z"); // 10:00 in Warsaw (CET)
        assertThat(a1.get("end").asText()).isEqualTo("2026-03-02T09:45:00Z");
        assertThat(a1.get("price").get("amount").decimalValue()).as("money keeps its minor-unit scale")
                .isEqualTo(new BigDecimal("120.00"));
        assertThat(a1.get("clientName").asText()).as("linked to the imported client").isEqualTo("Anna Nowak");

        // Every upload is a run in the connection's run log.
        JsonNode runs = json(call(connection(business, "csv-import") + "/sync-runs", ADMIN_TOKEN).get(), 200)
                .get("items");
        assertThat(runs).hasSize(3).allSatisfy(r -> assertThat(r.get("mode").asText()).isEqualTo("IMPORT"));
        assertThat(runs.get(0).get("id").asText()).isEqualTo(appointments.get("run").get("id").asText());
    }

    @Test
    void reimportingTheSameFileChangesNothingAndNextWeeksExportUpdatesOnlyWhatChanged() {
        UUID business = businessWithCsv("Weekly exports");
        // Each appointment and its client (written from the appointment's row).
        assertCounts(imported(business, "appointments", APPOINTMENTS).get("run"), 4, 0, 0, 0);
        JsonNode before = byExternalId(list(business, "appointments"), "A-1");

        assertCounts(imported(business, "appointments", APPOINTMENTS).get("run"), 0, 0, 4, 0);
        assertThat(byExternalId(list(business, "appointments"), "A-1").get("updatedAt"))
                .isEqualTo(before.get("updatedAt"));

        String nextWeek = APPOINTMENTS.replace("Booked,first visit", "Cancelled by client,first visit")
                + "A-3,09.03.2026,09:00,09:30,Haircut,Ola,Anna Nowak,+48 600 100 200,anna@example.com,120 zł,"
                + "Booked,\n";
        JsonNode run = imported(business, "appointments", nextWeek).get("run");
        assertCounts(run, 1, 1, 3, 0);
        JsonNode stored = list(business, "appointments");
        assertThat(stored).hasSize(3);
        assertThat(byExternalId(stored, "A-2").get("status").asText()).isEqualTo("CANCELLED_BY_CLIENT");
        assertThat(byExternalId(stored, "A-1").get("updatedAt")).isEqualTo(before.get("updatedAt"));

        // An import never soft-deletes: a file without A-3 leaves it in place.
        assertCounts(imported(business, "appointments", APPOINTMENTS).get("run"), 0, 1, 3, 0);
        assertThat(list(business, "appointments")).hasSize(3)
                .allSatisfy(a -> assertThat(a.get("deleted").asBoolean()).isFalse());
    }

    @Test
    void badRowsAreListedWithRowColumnAndReasonWhileGoodRowsLand() {
        UUID business = businessWithCsv("Bad rows");
        String csv = APPOINTMENTS_HEADER
                + "A-1,02.03.2026,10:00,10:45,Haircut,Ola,Anna Nowak,,,120 zł,Confirmed,\n"
                + "A-2,31.02.2026,11:00,12:00,Haircut,Ola,Jan Kowalski,,,120 zł,Confirmed,\n"
                + "A-3,03.03.2026,11:00,12:00,Haircut,Ola,Jan Kowalski,,,abc,Confirmed,\n"
                + "A-4,03.03.2026,13:00,14:00,Haircut,Ola,Jan Kowalski,,,90 zł,Booked,\n";
        JsonNode result = imported(business, "appointments", csv);

        JsonNode run = result.get("run");
        assertThat(run.get("status").asText()).isEqualTo("PARTIAL");
        // and their clients Anna and Jan.
        assertCounts(run, 4, 0, 0, 2);
        List<String> errors = messages(result.get("errors"));
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).contains("row 3").contains("column 'Date'").contains("31.02.2026");
        assertThat(errors.get(1)).contains("row 4").contains("column 'Price'").contains("abc");
        assertThat(result.get("errors").get(0).get("externalId").asText()).isEqualTo("A-2");
        assertThat(result.get("errorsTruncated").asBoolean()).isFalse();
        assertThat(list(business, "appointments")).extracting(a -> a.get("externalId").asText())
                .containsExactlyInAnyOrder("A-1", "A-4");

        // The errors are stored with the run.
        JsonNode detail = json(call(connection(business, "csv-import") + "/sync-runs/" + run.get("id").asText(),
                ADMIN_TOKEN).get(), 200);
        assertThat(messages(detail.get("logs").get("items"))).isEqualTo(errors);
    }

    @Test
    void aDryRunReportsWhatWouldHappenAndWritesNothing() {
        UUID business = businessWithCsv("Dry run");
        String csv = CLIENTS + ",+48 600 000 000,nobody@example.com\n";
        JsonNode result = json(upload(business, "clients", true, csv), 200);

        assertThat(result.get("dryRun").asBoolean()).isTrue();
        assertThat(result.get("valid").asLong()).isEqualTo(2);
        assertThat(result.get("invalid").asLong()).isEqualTo(1);
        assertThat(result.get("stages").get("clients: valid").get("total").asLong()).isEqualTo(3);
        assertThat(messages(result.get("errors"))).singleElement().asString()
                .contains("row 4").contains("column 'Name'");
        JsonNode run = result.get("run");
        assertThat(run.get("mode").asText()).isEqualTo("IMPORT");
        assertCounts(run, 0, 0, 0, 1);
        assertThat(run.get("errorMessage").asText()).contains("dry run").contains("clients: valid 2 of 3");
        assertThat(list(business, "clients")).isEmpty();

        assertThat(List.of(result.get("wouldCreate").asLong(), result.get("wouldUpdate").asLong(),
                result.get("unchanged").asLong())).containsExactly(2L, 0L, 0L);

        // The real import then does what the dry run said.
        JsonNode real = imported(business, "clients", csv);
        assertThat(real.get("valid").asLong()).isEqualTo(2);
        assertThat(real.get("wouldCreate").isNull()).as("no dry-run counts for a real import").isTrue();
        assertCounts(real.get("run"), 2, 0, 0, 1);
        assertThat(list(business, "clients")).hasSize(2);
    }

    /** The counts of a dry run, as {@code [wouldCreate, wouldUpdate, unchanged, invalid]}. */
    private static List<Long> dryRunCounts(UUID business, String kind, String csv) {
        JsonNode r = json(upload(business, kind, true, csv), 200);
        assertThat(r.get("run").get("createdCount").asLong() + r.get("run").get("updatedCount").asLong())
                .as("a dry run writes nothing").isZero();
        return List.of(r.get("wouldCreate").asLong(), r.get("wouldUpdate").asLong(), r.get("unchanged").asLong(),
                r.get("invalid").asLong());
    }

    @Test
    void aDryRunCountsWhatTheImportWouldCreateUpdateAndLeaveUnchangedWithTheRulesOfARealWrite() {
        UUID business = businessWithCsv("Dry-run counts");
        int n = 1_201;
        StringBuilder csv = new StringBuilder("Name,Phone,Email\n");
        for (int i = 0; i < n; i++) {
            csv.append("Client ").append(i).append(",+48 500 ").append(100_000 + i).append(",\n");
        }
        // A duplicate of the first row, after more than one batch (500 records): a real import leaves it unchanged.
        csv.append("Client 0,+48 500 100000,\n");
        csv.append(",,nameless@example.com\n");
        String file = csv.toString();

        assertThat(dryRunCounts(business, "clients", file)).containsExactly((long) n, 0L, 1L, 1L);
        assertThat(list(business, "clients")).isEmpty();

        JsonNode real = imported(business, "clients", file);
        assertCounts(real.get("run"), n, 0, 1, 1);

        assertThat(dryRunCounts(business, "clients", file)).containsExactly(0L, 0L, n + 1L, 1L);
        String changed = file.replace("Client 7,", "Client Seven,");
        assertThat(dryRunCounts(business, "clients", changed)).containsExactly(0L, 1L, (long) n, 1L);
        // The real import agrees.
        assertCounts(imported(business, "clients", changed).get("run"), 0, 1, n, 1);
    }

    @Test
    void anAppointmentsDryRunCountsTheFilesKindAndTheClientsItNames() {
        UUID business = businessWithCsv("Dry-run appointments");
        JsonNode dry = json(upload(business, "appointments", true, APPOINTMENTS), 200);
        assertThat(List.of(dry.get("wouldCreate").asLong(), dry.get("wouldUpdate").asLong(),
                dry.get("unchanged").asLong())).containsExactly(2L, 0L, 0L);
        assertThat(dry.get("dryRunByKind").get("CLIENT").get("wouldCreate").asLong()).isEqualTo(2);
        assertThat(dry.get("run").get("errorMessage").asText())
                .contains("APPOINTMENT would create 2, update 0, leave unchanged 0");

        imported(business, "appointments", APPOINTMENTS);
        JsonNode again = json(upload(business, "appointments", true,
                APPOINTMENTS.replace("first visit", "second visit")), 200);
        assertThat(List.of(again.get("wouldCreate").asLong(), again.get("wouldUpdate").asLong(),
                again.get("unchanged").asLong())).containsExactly(0L, 1L, 1L);
        assertThat(again.get("dryRunByKind").get("CLIENT").get("unchanged").asLong()).isEqualTo(2);
    }

    @Test
    void anSpi10ImporterStillWorksThroughTheHub() {
        UUID business = business("Legacy");
        json(call(connection(business, "legacy"), ADMIN_TOKEN).put(Entity.json(Map.of("config", Map.of()))), 200);
        String path = connection(business, "legacy") + "/imports?kind=clients";

        JsonNode dry = json(upload(path + "&dryRun=true", ADMIN_TOKEN, "L-1=Anna\nL-2=\n"), 200);
        assertThat(dry.get("detected").isNull()).isTrue();
        assertThat(dry.get("columns")).isEmpty();
        assertThat(dry.get("rowErrors")).as("a 1.0 importer reports no typed row issues").isEmpty();
        assertThat(messages(dry.get("errors"))).singleElement().asString().contains("no name");
        assertThat(List.of(dry.get("wouldCreate").asLong(), dry.get("wouldUpdate").asLong(),
                dry.get("unchanged").asLong())).as("it does not upsert in a dry run").containsExactly(0L, 0L, 0L);

        JsonNode real = json(upload(path, ADMIN_TOKEN, "L-1=Anna\nL-2=\n"), 200);
        assertThat(real.get("kind").asText()).isEqualTo("clients");
        assertCounts(real.get("run"), 1, 0, 0, 1);
        assertThat(real.get("stages").get("lines").get("done").asLong()).isEqualTo(2);
    }

    @Test
    void aPolishWindows1250ExportImportsWithNoConfigurationAndNoKindAndAReUploadChangesNothing() {
        UUID business = businessWithCsv("Salon Zofia");
        String csv = "Data wizyty;Godzina;Czas trwania (min);Usługa;Pracownik;Klient;Telefon;Cena;Status\r\n"
                + "07.12.2026;10:00;45;Strzyżenie damskie;Łucja;Zofia Żółć;+48 600 100 200;1 200,00 zł;"
                + "Zarezerwowana\r\n"
                + "07.12.2026;11:30;1:15;Koloryzacja;Łucja;Zofia Żółć;+48 600 100 200;350;Nie przyszedł\r\n"
                + "08.12.2026;09:00;dużo;Strzyżenie męskie;Jan;Grzegorz Brzęczyszczykiewicz;;80;Zakończona\r\n";
        byte[] file = csv.getBytes(Charset.forName("windows-1250"));
        String path = connection(business, "csv-import") + "/imports";

        JsonNode dryRun = json(call(path + "?dryRun=true", ADMIN_TOKEN).post(Entity.entity(file, "text/csv")), 200);
        assertThat(dryRun.get("kind").asText()).isEqualTo("appointments");
        JsonNode detected = dryRun.get("detected");
        assertThat(List.of(detected.get("format").asText(), detected.get("encoding").asText(),
                detected.get("delimiter").asText(), detected.get("dateFormat").asText()))
                .containsExactly("CSV", "windows-1250", ";", "dd.MM.yyyy");
        assertThat(detected.get("sheet").isNull()).isTrue();
        List<String> columns = new ArrayList<>();
        dryRun.get("columns").forEach(c -> columns.add(c.get("header").asText() + " → " + c.get("field").asText()));
        assertThat(columns).containsExactly("Data wizyty → date", "Godzina → startTime",
                "Czas trwania (min) → duration", "Usługa → service", "Pracownik → staff", "Klient → client",
                "Telefon → clientPhone", "Cena → price", "Status → status");
        assertThat(List.of(dryRun.get("valid").asLong(), dryRun.get("invalid").asLong())).containsExactly(2L, 1L);
        assertThat(dryRun.get("rowErrors")).singleElement().satisfies(e -> {
            assertThat(e.get("level").asText()).isEqualTo("skipped");
            assertThat(e.get("row").asLong()).isEqualTo(4);
            assertThat(e.get("column").asText()).isEqualTo("Czas trwania (min)");
            assertThat(e.get("reason").asText()).isEqualTo("not a duration: 'dużo' (expected minutes, H:MM or 1h 30min)");
        });
        assertThat(list(business, "appointments")).isEmpty();

        JsonNode real = json(call(path, ADMIN_TOKEN).post(Entity.entity(file, "text/csv")), 200);
        // Two appointments and their one client.
        assertCounts(real.get("run"), 3, 0, 0, 1);
        JsonNode appointments = list(business, "appointments");
        assertThat(appointments).extracting(a -> a.get("start").asText())
                .containsExactlyInAnyOrder("2026-12-07T09:00:00Z", "2026-12-07T10:30:00Z");
        assertThat(appointments).extracting(a -> a.get("status").asText())
                .containsExactlyInAnyOrder("BOOKED", "NO_SHOW");
        assertThat(appointments).extracting(a -> a.get("price").get("amount").decimalValue())
                .containsExactlyInAnyOrder(new BigDecimal("1200.00"), new BigDecimal("350.00"));
        assertThat(list(business, "clients")).singleElement().satisfies(c ->
                assertThat(c.get("name").asText()).isEqualTo("Zofia Żółć"));

        JsonNode again = json(call(path, ADMIN_TOKEN).post(Entity.entity(file, "text/csv")), 200);
        assertCounts(again.get("run"), 0, 0, 3, 1);
        assertThat(list(business, "appointments")).hasSize(2);
    }

    @Test
    void refusalsUseTheRightStatuses() {
        UUID business = businessWithCsv("Refusals");

        // Parameters the client got wrong are 400s naming them, refused before any run is recorded. Without a
        // kind the importer must tell it from the headers.
        JsonNode missingKind = json(upload(imports(business, null, false), ADMIN_TOKEN, "Colour,Size\nred,9\n"), 422);
        assertThat(missingKind.get("message").asText()).contains("cannot tell what the file holds from its headers");

        JsonNode unknownKind = json(upload(business, "invoices", false, CLIENTS), 400);
        assertThat(unknownKind.get("error").asText()).isEqualTo("INVALID_INPUT");
        assertThat(unknownKind.get("fields").findValuesAsText("field")).containsExactly("kind");
        assertThat(unknownKind.get("message").asText()).contains("kind 'invoices'").contains("appointments")
                .contains("clients").contains("services");

        // "yes" is not a boolean: it must not run a real import as if it said false.
        JsonNode yes = json(upload(connection(business, "csv-import") + "/imports?kind=clients&dryRun=yes",
                ADMIN_TOKEN, CLIENTS), 400);
        assertThat(yes.get("fields").findValuesAsText("field")).containsExactly("dryRun");
        assertThat(list(business, "clients")).isEmpty();

        JsonNode missingColumn = json(upload(business, "services", false, "Service ID,Category\nS-1,Hair\n"), 422);
        assertThat(missingColumn.get("message").asText()).contains("'Service'").contains("import run");

        JsonNode runs = json(call(connection(business, "csv-import") + "/sync-runs", ADMIN_TOKEN).get(), 200)
                .get("items");
        // A refused file is a run too: the one whose kind could not be told, and the one missing a column.
        assertThat(runs).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("status").asText()).isEqualTo("FAILED");
            assertThat(r.get("errorCode").asText()).isEqualTo("INVALID_INPUT");
        });

        UUID noConnection = business("No connection");
        assertThat(json(upload(noConnection, "clients", false, CLIENTS), 404)).isNotNull();

        json(call(connection(noConnection, "plain"), ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("greeting", "hi")))), 200);
        JsonNode unsupported = json(upload(connection(noConnection, "plain") + "/imports?kind=clients", ADMIN_TOKEN,
                CLIENTS), 400);
        assertThat(unsupported.get("error").asText()).isEqualTo("UNSUPPORTED");

        json(call(connection(business, "csv-import"), ADMIN_TOKEN).delete(), 200);
        JsonNode disabled = json(upload(business, "clients", false, CLIENTS), 409);
        assertThat(disabled.get("message").asText()).contains("disabled");
    }

    @Test
    void aBusinessAdminCannotImportIntoAnotherBusiness() {
        UUID mine = businessWithCsv("Mine");
        UUID theirs = businessWithCsv("Theirs");
        String key = json(call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "owner",
                "role", "business-admin", "businessId", mine.toString()))), 201).get("token").asText();

        assertThat(json(upload(imports(mine, "clients", false), key, CLIENTS), 200).get("run").get("createdCount")
                .asLong()).isEqualTo(2);
        for (boolean dryRun : new boolean[] {false, true}) {
            Response foreign = upload(imports(theirs, "clients", dryRun), key, CLIENTS);
            assertThat(json(foreign, 404)).isNotNull();
        }
        assertThat(json(upload(imports(theirs, null, false), key, CLIENTS), 404)).isNotNull();
        assertThat(list(theirs, "clients")).isEmpty();
        assertThat(json(call(connection(theirs, "csv-import") + "/sync-runs", ADMIN_TOKEN).get(), 200)
                .get("items")).isEmpty();
    }

    @Test
    void aSecondUploadWhileAnImportRunsIsAConflict() throws Exception {
        UUID business = businessWithCsv("Busy");
        // A raw chunked upload, so the test decides when the file ends.
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + imports(business, "clients", false) + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + ADMIN_TOKEN + "\r\nContent-Type: text/csv\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            writeChunk(out, "Client ID,Name\nC-1,Anna\n");

            JsonNode running = awaitRunningRun(business);
            JsonNode second = json(upload(business, "clients", false, "Client ID,Name\nC-2,Jan\n"), 409);
            assertThat(second.get("error").asText()).isEqualTo("CONFLICT");
            assertThat(second.get("message").asText()).contains(running.get("id").asText());

            writeChunk(out, "C-3,Ola\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");

            JsonNode run = json(call(connection(business, "csv-import") + "/sync-runs/" + running.get("id").asText(),
                    ADMIN_TOKEN).get(), 200).get("run");
            assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
            assertCounts(run, 2, 0, 0, 0);
        }
        assertThat(list(business, "clients")).extracting(c -> c.get("externalId").asText())
                .containsExactlyInAnyOrder("C-1", "C-3");
    }

    private static void writeChunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static JsonNode awaitRunningRun(UUID business) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode runs = json(call(connection(business, "csv-import") + "/sync-runs", ADMIN_TOKEN).get(), 200)
                    .get("items");
            if (!runs.isEmpty() && runs.get(0).get("status").asText().equals("RUNNING")) {
                return runs.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the upload never started a run");
    }

    /**
     * A generated upload of 5,000 rows lands whole. The CSV importer copies the body to a temporary file
     * before reading it twice (its encoding and date format are decided from the whole file), so rows land
     * after the last byte; that memory stays bounded meanwhile is shown by its volume test and benchmark.
     */
    @Test
    void aLargeUploadIsStreamedIntoTheModel() throws Exception {
        UUID business = businessWithCsv("Large");
        int rows = 5_000;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                        + imports(business, "clients", false)))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedClients(rows))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = parse(response.body());
        assertThat(result.get("run").get("status").asText()).isEqualTo("SUCCEEDED");
        assertCounts(result.get("run"), rows, 0, 0, 0);
        assertThat(result.get("stages").get("clients").get("done").asLong()).isEqualTo(rows);
        JsonNode counts = json(call("/admin/businesses/" + business + "/record-counts", ADMIN_TOKEN).get(), 200);
        assertThat(counts.get("CLIENT").asLong()).isEqualTo(rows);
        // Every stored client is served once by walking the listing's cursors.
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = json(call("/admin/businesses/" + business + "/clients?limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_TOKEN).get(), 200);
            page.get("items").forEach(c -> assertThat(seen.add(c.get("externalId").asText())).isTrue());
            cursor = page.path("next").isTextual() ? page.get("next").asText() : null;
        } while (cursor != null);
        assertThat(seen).hasSize(rows);
    }

    /** A clients export of {@code rows} rows, produced as it is read (never held whole by the test either). */
    static final class GeneratedClients extends InputStream {
        private final int rows;
        private int next = -1;
        private byte[] current = new byte[0];
        private int position;

        GeneratedClients(int rows) {
            this.rows = rows;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (position == current.length) {
                if (next >= rows) {
                    return -1;
                }
                String line = next < 0 ? "Client ID,Name,Phone,Email\n"
                        : "C-" + next + ",Client " + next + ",+48 600 " + String.format("%06d", next) + ",c" + next
                                + "@example.com\n";
                current = line.getBytes(StandardCharsets.UTF_8);
                position = 0;
                next++;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }
    }
}
