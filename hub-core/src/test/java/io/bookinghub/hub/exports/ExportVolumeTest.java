package io.bookinghub.hub.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hubtesting.AppointmentHistory;
import io.bookinghub.hubtesting.HubProcess;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 100,000 appointments of 2,000-character notes (200 MB of CSV, well over the heap) exported by a hub running in its
 * own JVM with {@code -Xmx128m}: the export streams, so it completes with every row and the hub stays up. A hub that
 * collected the rows first would run out of memory.
 */
class ExportVolumeTest {
    private static final int APPOINTMENTS = 100_000;
    private static final int NOTE_LENGTH = 2_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void exportsAHundredThousandAppointmentsUnderA128MegabyteHeap() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        Path dir = Files.createTempDirectory("export-volume");
        try (HubProcess hub = HubProcess.builder(HubApplication.class.getName(), System.getProperty("java.class.path"),
                        dir)
                .name("export-volume")
                .jvmOptions(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-XX:+ExitOnOutOfMemoryError"))
                .externalDatabase(db.jdbcUrl(), "postgres")
                .maxPoolSize(4)
                .start()) {
            UUID business = createBusiness(hub);
            try (Connection connection = db.dataSource().getConnection()) {
                new AppointmentHistory(APPOINTMENTS, Duration.ofMinutes(30), Instant.parse("2026-06-01T00:00:00Z"))
                        .load(connection, business, true);
                try (PreparedStatement st = connection.prepareStatement("UPDATE appointments SET business_note ="
                        + " repeat('n', ?) || external_id WHERE business_id = ?")) {
                    st.setInt(1, NOTE_LENGTH);
                    st.setObject(2, business);
                    st.executeUpdate();
                }
            }
            String base = hub.baseUrl() + "/v1/businesses/" + business + "/exports/appointments.";

            Counted csv = download(hub, base + "csv");
            assertThat(csv.status()).as(hub.logTail()).isEqualTo(200);
            // The header, every appointment and AppointmentHistory's one long-running booking.
            assertThat(csv.lines()).as(hub.logTail()).isEqualTo(1 + APPOINTMENTS + 1);
            assertThat(csv.bytes()).isGreaterThan((long) APPOINTMENTS * NOTE_LENGTH);

            Counted ndjson = download(hub, base + "ndjson?from=2026-05-01T00:00:00Z");
            assertThat(ndjson.status()).as(hub.logTail()).isEqualTo(200);
            // May's 31 days of half-hourly starts, the hour-long one still running at its start, the long-running one.
            assertThat(ndjson.lines()).isEqualTo(31 * 48 + 1 + 1);
            assertThat(hub.isAlive()).as(hub.logTail()).isTrue();
            assertThat(hub.logTail()).doesNotContain("OutOfMemoryError");
        }
    }

    private record Counted(int status, long lines, long bytes) {
    }

    /** Reads the answer as it arrives, keeping nothing but counts. */
    private static Counted download(HubProcess hub, String url) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + hub.adminToken()).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long lines = 0;
        long bytes = 0;
        boolean quoted = false;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            char[] buffer = new char[64 * 1024];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    // A record ends at a line break outside quotes (the notes hold none, but a CSV may).
                    if (buffer[i] == '"') {
                        quoted = !quoted;
                    } else if (buffer[i] == '\n' && !quoted) {
                        lines++;
                    }
                }
            }
        }
        return new Counted(response.statusCode(), lines, bytes);
    }

    private static UUID createBusiness(HubProcess hub) throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(hub.baseUrl()
                        + "/admin/businesses")).header("Authorization", "Bearer " + hub.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Big\",\"timeZone\":\"Europe/Warsaw\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = new ObjectMapper().readTree(created.body());
        return UUID.fromString(body.get("id").asText());
    }
}
