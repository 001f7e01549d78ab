package io.bookinghub.hub.faults;

import static io.bookinghub.hub.faults.FaultKit.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hubtesting.HubProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-way booking with hub processes sharing one PostgreSQL: a hub killed between SENT and CONFIRMED leaves a
 * command the next hub looks up at the provider instead of sending it again; and the same request with one
 * Idempotency-Key sent to two live hubs at once books once.
 */
class BookingAcrossHubsTest {
    private static final String API_KEY = "across-hubs-api-key";
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");

    @TempDir
    Path root;

    private final Started launched = new Started();

    @AfterEach
    void tearDown() throws Exception {
        launched.close();
    }

    @Test
    void aHubKilledBetweenSentAndConfirmedIsReconciledByTheNextOneNotResent() throws Exception {
        RestartablePostgres pg = launched.add(RestartablePostgres.start(root.resolve("pgdata")));
        BooksySandbox sandbox = launched.add(BooksySandbox.builder().apiKey(API_KEY).build().start());
        Path keyFile = root.resolve("encryption.key");
        // A short lease, so that hub B takes over soon after hub A died holding the command; a lease must outlast
        // the longest provider call, so calls are capped at 8 s (hub A is killed well within them).
        List<String> bookings = List.of("-Ddw.bookings.lease=PT9S", "-Ddw.outbound.maxRequestTimeout=PT8S",
                "-Ddw.bookings.initialBackoff=PT0.2S", "-Ddw.bookings.pollInterval=PT0.1S",
                "-Ddw.bookings.requestWait=PT30S");
        HubProcess a = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-a", 1, "10s", 10),
                pg.jdbcUrl(), keyFile, Map.of(), bookings));
        String business = connect(a, sandbox);
        // The provider books, then holds its answer far beyond the time hub A has to live.
        sandbox.slowNextWriteAnswers(1, Duration.ofSeconds(60));

        String key = UUID.randomUUID().toString();
        Map<String, Object> body = booking(sandbox, slot(80));
        CompletableFuture<HttpResponse<String>> dying = FaultKit.HTTP.sendAsync(post(a, business, key, body),
                HttpResponse.BodyHandlers.ofString());
        await("the provider committed the booking and hub A waits for its answer",
                () -> Optional.of(sandbox.writesCommitted()).filter(n -> n == 1), a::logTail);
        assertThat(command(pg, key)).as("SENT, committed before the call").startsWith("SENT ");
        a.kill();
        assertThat(dying.handle((r, e) -> e != null || r.statusCode() >= 500).get())
                .as("hub A never answered").isTrue();
        assertThat(command(pg, key)).as("still SENT after the kill").startsWith("SENT ");

        HubProcess b = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-b", 1, "10s", 10),
                pg.jdbcUrl(), keyFile, Map.of(), bookings));
        String reconciled = await("hub B reconciled the command", () -> Optional.of(commandUnchecked(pg, key))
                .filter(c -> c.startsWith("RECONCILED ")), b::logTail);
        assertThat(reconciled.split("\"state\": \"SENT\"", -1)).as("sent once (by hub A), then looked up: "
                + reconciled).hasSize(2);
        assertThat(sandbox.writesCommitted()).as("one booking at the provider, none sent again").isEqualTo(1);

        // The app retries against hub B with the same key: the booking, as stored in the shared model.
        HttpResponse<String> retried = FaultKit.HTTP.send(post(b, business, key, body),
                HttpResponse.BodyHandlers.ofString());
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        JsonNode appointment = FaultKit.JSON.readTree(retried.body());
        String externalId = appointment.get("externalId").asText();
        assertThat(sandbox.appointment(externalId).orElseThrow().get("external_reference").asText())
                .startsWith("hubref-");
        assertThat(FaultKit.appointments(pg).get(externalId).rows()).isEqualTo(1);
        assertThat(sandbox.writesCommitted()).isEqualTo(1);
        launched.passed();
    }

    @Test
    void oneKeySentToTwoLiveHubsAtOnceBooksOnce() throws Exception {
        RestartablePostgres pg = launched.add(RestartablePostgres.start(root.resolve("pgdata")));
        BooksySandbox sandbox = launched.add(BooksySandbox.builder().apiKey(API_KEY).build().start());
        Path keyFile = root.resolve("encryption.key");
        List<String> bookings = List.of("-Ddw.bookings.initialBackoff=PT0.2S", "-Ddw.bookings.pollInterval=PT0.1S",
                "-Ddw.bookings.requestWait=PT30S");
        HubProcess a = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-a", 1, "10s", 10),
                pg.jdbcUrl(), keyFile, Map.of(), bookings));
        HubProcess b = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-b", 1, "10s", 10),
                pg.jdbcUrl(), keyFile, Map.of(), bookings));
        String business = connect(a, sandbox);
        // A slower provider widens the window in which the hubs see each other's command in flight.
        sandbox.slowNextWriteAnswers(1, Duration.ofMillis(500));

        String key = UUID.randomUUID().toString();
        Map<String, Object> body = booking(sandbox, slot(90));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> answers = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                HubProcess hub = i % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<String> r = FaultKit.HTTP.send(post(hub, business, key, body),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() + " " + r.body();
                }));
            }
            go.countDown();
            for (Future<String> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(new HashSet<>(answers)).as("one answer from both hubs").hasSize(1);
        assertThat(answers.get(0)).startsWith("201 ");
        assertThat(sandbox.writesCommitted()).as("one booking").isEqualTo(1);
        assertThat(command(pg, key)).startsWith("CONFIRMED ");
        launched.passed();
    }

    /** A business with a Booksy connection (api-key mode) to the sandbox; its id. */
    private static String connect(HubProcess hub, BooksySandbox sandbox) throws Exception {
        JsonNode business = FaultKit.admin(hub, "POST", "/admin/businesses",
                Map.of("name", "Across Hubs", "timeZone", "Europe/Warsaw"), 201);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", sandbox.baseUrl());
        settings.put("authMode", "api-key");
        settings.put("rateLimitPerSecond", "1000");
        settings.put("rateLimitBurst", "1000");
        settings.put("requestTimeout", "PT120S");
        FaultKit.admin(hub, "PUT", "/admin/connectors/booksy/settings", Map.of("settings", settings), 200);
        FaultKit.admin(hub, "PUT", "/admin/businesses/" + business.get("id").asText() + "/connections/booksy",
                Map.of("config", Map.of("apiKey", API_KEY, "businessId", BooksySandbox.BUSINESS_ID)), 200);
        return business.get("id").asText();
    }

    private static String slot(int daysAhead) {
        LocalDate day = LocalDate.now(WARSAW).plusDays(daysAhead).with(TemporalAdjusters.nextOrSame(
                DayOfWeek.WEDNESDAY));
        return OffsetDateTime.of(day.atTime(11, 0), WARSAW.getRules().getOffset(day.atTime(11, 0))).toString();
    }

    private static Map<String, Object> booking(BooksySandbox sandbox, String start) {
        return Map.of("service", sandbox.serviceIds().get(0), "staff", "any", "start", start,
                "client", Map.of("name", "Jan Kowalski", "email", "jan@example.com"));
    }

    private static HttpRequest post(HubProcess hub, String business, String key, Object body) throws Exception {
        return HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/businesses/" + business + "/appointments"))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofByteArray(FaultKit.JSON.writeValueAsBytes(body))).build();
    }

    /** The command's state and transitions, e.g. {@code SENT [...]}. */
    private static String command(RestartablePostgres pg, String key) throws SQLException {
        try (Connection c = pg.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT state, transitions::text FROM booking_commands WHERE idempotency_key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) + " " + rs.getString(2) : "NONE";
            }
        }
    }

    private static String commandUnchecked(RestartablePostgres pg, String key) {
        try {
            return command(pg, key);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
