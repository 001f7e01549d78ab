package io.bookinghub.hub.exports;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Money;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exports over real HTTP from real PostgreSQL, and read back by the real csv-import plugin into another business:
 * what comes back is what went out.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ExportTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB,
            BuiltPlugins.copy("csv-import-connector"), HubTestApp.varDirectory(), HubTestApp.environment(),
            ConfigOverride.config("sync.schedulerEnabled", "false"));
    private static final HubApi API = new HubApi(APP);
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    /** A business of connector "acme" with three appointments in the first week of March and one after it. */
    private static UUID seeded(String name) {
        UUID business = API.createBusiness(name);
        JdbiRecordSink sink = new RecordStore(DB.jdbi(), Clock.systemUTC()).sink(business, "acme");
        sink.upsert(new Service(ref("svc-1"), "Haircut", "Hair", "Wash, cut; \"dry\"",
                List.of(new ServiceVariant("v1", "Short", Duration.ofMinutes(45), Money.of("120.00", "PLN"))), true,
                null, null));
        sink.upsert(new Service(ref("svc-2"), "Colouring", "Colour", null,
                List.of(new ServiceVariant("v2", "Long", Duration.ofMinutes(90), Money.of("250.50", "EUR"))), true,
                null, null));
        sink.upsert(new StaffMember(ref("staff-1"), "Ola", null, null, null, true, null));
        sink.upsert(new Client(ref("client-1"), "Anna Nowak", "anna@example.com", "+48 600 100 200", null, null));
        sink.upsert(new Client(ref("client-2"), "Jan Kowalski", null, "+48 600 300 400", null, null));
        sink.upsert(appointment("a-1", "client-1", "svc-1", T0, 45, AppointmentStatus.CONFIRMED,
                "first visit, \"VIP\"\nsecond line", Money.of("120.00", "PLN")));
        sink.upsert(appointment("a-2", "client-2", "svc-2", T0.plus(Duration.ofDays(1)), 90,
                AppointmentStatus.CANCELLED_BY_CLIENT, null, Money.of("250.50", "EUR")));
        sink.upsert(appointment("a-3", null, "svc-1", T0.plus(Duration.ofDays(2)), 30, AppointmentStatus.NO_SHOW,
                "zażółć gęślą jaźń", null));
        sink.upsert(appointment("later", "client-1", "svc-1", T0.plus(Duration.ofDays(30)), 30,
                AppointmentStatus.BOOKED, null, null));
        return business;
    }

    private static ExternalRef ref(String id) {
        return new ExternalRef("acme", id);
    }

    private static Appointment appointment(String id, String client, String service, Instant start, int minutes,
            AppointmentStatus status, String note, Money price) {
        return new Appointment(ref(id), client, null, List.of(new AppointmentSegment(service, null, "staff-1", start,
                start.plus(Duration.ofMinutes(minutes)))), WARSAW, status, null, null, null, note, price, null, null,
                null);
    }

    private static final String WEEK = "from=2026-03-01T23:00:00Z&to=2026-03-08T23:00:00Z";

    @Test
    void theCsvExportsImportBackIntoAnotherBusinessAsTheSameRecords() throws IOException {
        UUID source = seeded("Exporter");
        String key = API.appKey(List.of(source), List.of("read"));
        String base = "/v1/businesses/" + source + "/exports/";
        String appointments = download(base + "appointments.csv?" + WEEK, key, "text/csv");
        String clients = download(base + "clients.csv", key, "text/csv");
        String services = download(base + "services.csv", key, "text/csv");

        List<CsvRecord> rows = CsvReader.builder().ofCsvRecord(appointments).stream().toList();
        assertThat(rows.get(0).getFields()).containsExactly("Appointment ID", "Start date time", "End date time",
                "Service", "Staff", "Client", "Client phone", "Client email", "Price", "Status", "Notes", "Connector",
                "Hub ID");
        assertThat(rows).hasSize(4);
        // Local time in the business's zone, names instead of ids, the price with its currency.
        assertThat(rows.get(1).getFields().subList(0, 11)).containsExactly("a-1", "2026-03-02 10:00:00",
                "2026-03-02 10:45:00", "Haircut", "Ola", "Anna Nowak", "+48 600 100 200", "anna@example.com",
                "120.00 PLN", "CONFIRMED", "first visit, \"VIP\"\nsecond line");

        UUID target = API.createBusiness("Importer");
        HubApi.json(API.call("/admin/businesses/" + target + "/connections/csv-import", ADMIN_TOKEN)
                .put(Entity.json(Map.of("config", Map.of()))), 200);
        assertThat(upload(target, "clients", clients).get("invalid").asInt()).isZero();
        assertThat(upload(target, "services", services).get("invalid").asInt()).isZero();
        JsonNode imported = upload(target, "appointments", appointments);
        assertThat(imported.get("invalid").asInt()).as(imported.toString()).isZero();
        assertThat(imported.get("rowErrors")).isEmpty();

        assertThat(snapshot(target, "appointments")).isEqualTo(expectedAppointments(source));
        assertThat(snapshot(target, "clients", "client-1", "client-2"))
                .isEqualTo(snapshot(source, "clients", "client-1", "client-2"));
        assertThat(snapshot(target, "services")).isEqualTo(snapshot(source, "services"));
    }

    @Test
    void ndjsonHasOneRecordPerLineWithZonedTimesAndTheWindowsAppointments() throws IOException {
        UUID business = seeded("Lines");
        String key = API.appKey(List.of(business), List.of("read"));
        String body = download("/v1/businesses/" + business + "/exports/appointments.ndjson?" + WEEK, key,
                "application/x-ndjson");
        String[] lines = body.split("\n");
        assertThat(lines).hasSize(3);
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            records.add(Jackson.newObjectMapper().readTree(line));
        }
        assertThat(records).extracting(r -> r.get("externalId").asText()).containsExactly("a-1", "a-2", "a-3");
        JsonNode first = records.get(0);
        assertThat(first.get("start").asText()).isEqualTo("2026-03-02T10:00:00+01:00");
        assertThat(first.get("services").asText()).isEqualTo("Haircut");
        assertThat(first.get("price").decimalValue()).isEqualByComparingTo("120.00");
        assertThat(records.get(2).get("businessNote").asText()).isEqualTo("zażółć gęślą jaźń");

        String services = download("/v1/businesses/" + business + "/exports/services.ndjson", key,
                "application/x-ndjson");
        JsonNode colouring = Jackson.newObjectMapper().readTree(services.split("\n")[0]);
        assertThat(colouring.get("variants").get(0).get("externalId").asText()).isEqualTo("v2");
        assertThat(download("/v1/businesses/" + business + "/exports/clients.ndjson?connector=other", key,
                "application/x-ndjson")).isEmpty();
    }

    @Test
    void refusalsAreJsonErrorsBeforeAnyByte() {
        UUID business = API.createBusiness("Guarded");
        UUID other = API.createBusiness("Other");
        String reader = API.appKey(List.of(business), List.of("read"));
        String writer = API.appKey(List.of(business), List.of("write"));
        String base = "/v1/businesses/" + business + "/exports/appointments.csv";

        assertThat(HubApi.json(get(base + "?from=yesterday", reader), 400).get("fields").get(0)
                .get("field").asText()).isEqualTo("from");
        assertThat(HubApi.json(get(base + "?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", reader), 400)
                .get("fields").get(0).get("field").asText()).isEqualTo("to");
        assertThat(HubApi.json(get(base, writer), 403).get("message").asText()).contains("'read' scope");
        assertThat(HubApi.json(get("/v1/businesses/" + other + "/exports/clients.csv", reader), 404)
                .get("error").asText()).isEqualTo("NOT_FOUND");
        assertThat(API.target(base).request().get().getStatus()).isEqualTo(401);
        // An empty business exports the header row only.
        assertThat(download(base, reader, "text/csv")).startsWith("Appointment ID,").hasLineCount(1);
    }

    /** A GET as a browser or curl sends it: no Accept header asking for JSON. */
    private static Response get(String path, String key) {
        return API.target(path).request().header("Authorization", "Bearer " + key).get();
    }

    private static String download(String path, String key, String type) {
        Response r = get(path, key);
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as(body).isEqualTo(200);
        assertThat(r.getMediaType().toString()).startsWith(type);
        assertThat(r.getHeaderString("Content-Disposition")).startsWith("attachment; filename=");
        return body;
    }

    private static JsonNode upload(UUID business, String kind, String file) {
        return HubApi.json(API.call("/admin/businesses/" + business + "/connections/csv-import/imports?kind=" + kind,
                ADMIN_TOKEN).post(Entity.entity(file, MediaType.TEXT_PLAIN)), 200);
    }

    /** What the source's appointments of the week look like once imported: one segment, no ids behind names. */
    private static Map<String, List<Object>> expectedAppointments(UUID source) {
        Map<String, List<Object>> expected = new TreeMap<>();
        snapshot(source, "appointments").forEach((id, row) -> {
            if (!id.equals("later")) {
                expected.put(id, row);
            }
        });
        return expected;
    }

    /**
     * The records of one kind by external id, as the columns an export carries (for appointments: times, status,
     * note, price, the client's name and phone by the appointment's client, not its key).
     */
    private static Map<String, List<Object>> snapshot(UUID business, String kind, String... onlyIds) {
        String sql = switch (kind) {
            case "appointments" -> "SELECT a.external_id, a.starts_at, a.ends_at, a.status, a.business_note,"
                    + " a.price_amount::text, a.price_currency, c.name, c.phone, c.email FROM appointments a"
                    + " LEFT JOIN clients c ON c.business_id = a.business_id AND c.connector_id = a.connector_id"
                    + " AND c.external_id = a.client_external_id WHERE a.business_id = :b";
            case "clients" -> "SELECT external_id, name, phone, email FROM clients WHERE business_id = :b";
            default -> "SELECT s.external_id, s.name, s.category, s.description, v.duration_seconds,"
                    + " v.price_amount::text, v.price_currency FROM services s JOIN service_variants v"
                    + " ON v.service_id = s.id WHERE s.business_id = :b";
        };
        Map<String, List<Object>> rows = new TreeMap<>();
        DB.jdbi().useHandle(h -> h.createQuery(sql).bind("b", business).map((rs, ctx) -> {
            List<Object> row = new ArrayList<>();
            for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getObject(i) == null ? null : String.valueOf(rs.getObject(i)));
            }
            return Map.entry(rs.getString(1), row);
        }).forEach(e -> rows.put(e.getKey(), e.getValue())));
        if (onlyIds.length > 0) {
            rows.keySet().retainAll(List.of(onlyIds));
        }
        return rows;
    }
}
