package io.bookinghub.hub.e2e;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.booksy.sandbox.WebhookDelivery;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.toolkit.webhook.WebhookSigner;
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
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Booksy webhooks end to end: the real Booksy plugin zip in the hub, connected over OAuth to the sandbox and
 * fully synced; then sandbox mutations emit Standard WebhooksFeature-signed events that the hub verifies, stores,
 * applies and shows through the admin API. Duplicates and forgeries are answered and audited without effect,
 * id-only payloads are completed with a read from the sandbox, and a lost webhook is repaired by the next
 * incremental sync.
 *
 * <p>The sandbox posts through {@link Tap}, a loopback relay that forwards every delivery unchanged to the
 * hub's {@code /connectors/booksy/webhook} and keeps its exact bytes and headers, so a test can deliver the
 * very same request a second time.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BooksyWebhookEndToEndTest {
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("webhook-end-to-end-secret-bytes!".getBytes(StandardCharsets.US_ASCII));
    private static final String OTHER_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("not-the-secret-the-hub-knows-42!".getBytes(StandardCharsets.US_ASCII));
    /** Bounds every wait for asynchronous work (delivery, worker apply); a deadline, not an expectation. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Jackson.newObjectMapper();

    private static final BooksySandbox SANDBOX = BooksySandbox.builder().port(0).allowLocalhostRedirects(true)
            .build().start();
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final Client CLIENT = ClientBuilder.newClient().register(new JacksonFeature(JSON));
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static Tap tap;
    private static UUID business;
    private static String connection;
    private static int nextAppointment;

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("booksy-connector"), Files.createTempDirectory("var"),
                    HubTestApp.environment(),
                    ConfigOverride.config("sync.schedulerEnabled", "false"),
                    ConfigOverride.config("webhooks.pollInterval", "50ms"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void connectAndSync() throws Exception {
        tap = new Tap(URI.create("http://localhost:" + APP.getLocalPort() + "/connectors/booksy/webhook"));

        business = UUID.fromString(ok(call("/admin/businesses").post(Entity.json(Map.of("name", "Webhook Studio",
                "timeZone", "Europe/Warsaw"))), 201).get("id").asText());
        connection = "/admin/businesses/" + business + "/connections/booksy";
        // The operator's integration: where Booksy is and the hub's app registration.
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", SANDBOX.baseUrl());
        settings.put("clientId", BooksySandbox.DEMO_CLIENT_ID);
        settings.put("clientSecret", BooksySandbox.DEMO_CLIENT_SECRET);
        settings.put("redirectUri", "http://localhost:" + APP.getLocalPort() + "/connectors/booksy/oauth/callback");
        settings.put("webhookSecret", WEBHOOK_SECRET);
        // The default 10 requests/s is Booksy's limit, not the sandbox's: at it, the ~200 reads of the syncs
        // here took 20 s. Rate limiting has its own tests in the connector.
        settings.put("rateLimitPerSecond", "1000");
        settings.put("rateLimitBurst", "1000");
        ok(call("/admin/connectors/booksy/settings").put(Entity.json(Map.of("settings", settings))), 200);
        // The salon's connection: which Booksy business it is.
        Map<String, Object> config = Map.of("businessId", BooksySandbox.BUSINESS_ID);
        ok(call(connection).put(Entity.json(Map.of("config", config))), 200);

        // OAuth through the hub's routes: start link -> sandbox authorize -> hub callback, in one browser
        // (cookie jar): the callback needs the binding cookie that start set.
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager()).build();
        HttpResponse<String> started = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + APP.getLocalPort() + "/connectors/booksy/oauth/start?business=" + business + "&format=json"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String authorizeUrl = Jackson.newObjectMapper().readTree(started.body()).get("authorizationUrl").asText();
        HttpResponse<String> authorize = browser.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = authorize.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> connected = browser.send(HttpRequest.newBuilder(URI.create(callback)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);

        JsonNode full = ok(call(connection + "/sync?wait=true").post(Entity.json(Map.of("mode", "FULL"))), 200);
        assertThat(full.get("status").asText()).as(full.toString()).isIn("SUCCEEDED", "PARTIAL");
        assertThat(ok(call("/admin/businesses/" + business + "/record-counts").get(), 200).get("APPOINTMENT")
                .asLong()).isEqualTo(SANDBOX.appointmentIds().size());
    }

    @AfterAll
    static void stop() {
        SANDBOX.close();
        if (tap != null) {
            tap.close();
        }
    }

    @BeforeEach
    void deliverThroughTheTap() {
        SANDBOX.webhookTarget(tap.uri(), WEBHOOK_SECRET);
    }

    @Test
    void cancellationWebhookIsStoredAppliedAndADuplicateHasNoSecondEffect() throws Exception {
        String id = nextActiveAppointment();
        assertThat(hubAppointment(id).get("status").asText()).isNotEqualTo("CANCELLED_BY_CLIENT");

        int sent = SANDBOX.webhookDeliveries().size();
        SANDBOX.cancelAppointment(id, true, "Flu");
        WebhookDelivery delivery = awaitDelivery(sent);
        assertThat(delivery.type()).isEqualTo("appointment.cancelled");
        assertThat(delivery.statusCode()).as(delivery.toString()).isEqualTo(200);

        JsonNode cancelled = await("appointment " + id + " cancelled in the hub", () -> Optional.of(hubAppointment(id))
                .filter(a -> a.get("status").asText().equals("CANCELLED_BY_CLIENT")));
        assertThat(cancelled.get("cancellationReason").asText()).isEqualTo("Flu");
        assertThat(cancelled.get("providerVersion").asLong())
                .isEqualTo(SANDBOX.appointment(id).orElseThrow().get("version").asLong());
        JsonNode done = await("event " + delivery.eventId() + " DONE", () -> events(delivery.eventId()).stream()
                .filter(e -> e.get("status").asText().equals("DONE")).findFirst());
        assertThat(done.get("eventType").asText()).isEqualTo("appointment.cancelled");
        assertThat(done.get("signatureOutcome").asText()).isEqualTo("VERIFIED");
        assertThat(done.get("connectionId").isNull()).isFalse();

        // The provider retries the very same request: acknowledged, audited as a duplicate, applied once.
        Tap.Captured original = tap.find(delivery.eventId());
        HttpResponse<String> again = post(original.body(), original.headers());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("duplicates").asInt()).isEqualTo(1);
        List<JsonNode> rows = events(delivery.eventId());
        assertThat(rows).extracting(e -> e.get("status").asText()).containsExactlyInAnyOrder("DONE", "DUPLICATE");
        assertThat(rows).filteredOn(e -> !e.get("inboxId").isNull()).as("inbox rows of the event").hasSize(2)
                .extracting(e -> e.get("inboxId").asLong()).as("both point at the one inbox row").containsOnly(
                        done.get("inboxId").asLong());
        JsonNode after = hubAppointment(id);
        assertThat(after.get("updatedAt").asText()).isEqualTo(cancelled.get("updatedAt").asText());
        assertThat(after.get("providerVersion").asLong()).isEqualTo(cancelled.get("providerVersion").asLong());
    }

    @Test
    void rescheduleWebhookMovesTheAppointment() throws Exception {
        String id = nextActiveAppointment();
        Instant oldStart = Instant.parse(hubAppointment(id).get("start").asText());
        Instant newStart = oldStart.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(30));

        int sent = SANDBOX.webhookDeliveries().size();
        SANDBOX.rescheduleAppointment(id, newStart);
        WebhookDelivery delivery = awaitDelivery(sent);
        assertThat(delivery.type()).isEqualTo("appointment.updated");
        assertThat(delivery.statusCode()).as(delivery.toString()).isEqualTo(200);

        JsonNode moved = await("appointment " + id + " moved in the hub", () -> Optional.of(hubAppointment(id))
                .filter(a -> Instant.parse(a.get("start").asText()).equals(newStart)));
        assertThat(moved.get("providerVersion").asLong())
                .isEqualTo(SANDBOX.appointment(id).orElseThrow().get("version").asLong());
        await("event " + delivery.eventId() + " DONE", () -> events(delivery.eventId()).stream()
                .filter(e -> e.get("status").asText().equals("DONE")).findFirst());
    }

    @Test
    void forgedDeliveriesAreRefusedWith401AndRecordedWithoutEffect() throws Exception {
        String id = nextActiveAppointment();
        int sent = SANDBOX.webhookDeliveries().size();
        SANDBOX.setAppointmentStatus(id, "confirmed");
        WebhookDelivery delivery = awaitDelivery(sent);
        assertThat(delivery.statusCode()).as(delivery.toString()).isEqualTo(200);
        await("event " + delivery.eventId() + " DONE", () -> events(delivery.eventId()).stream()
                .filter(e -> e.get("status").asText().equals("DONE")).findFirst());
        JsonNode before = hubAppointment(id);
        long refusedBefore = refusedCount();

        // 1. The genuine headers over a body changed in transit (a cancellation slipped in).
        Tap.Captured original = tap.find(delivery.eventId());
        String tampered = new String(original.body(), StandardCharsets.UTF_8)
                .replace("\"status\":\"confirmed\"", "\"status\":\"cancelled\"");
        assertThat(tampered).isNotEqualTo(new String(original.body(), StandardCharsets.UTF_8));
        HttpResponse<String> altered = post(tampered.getBytes(StandardCharsets.UTF_8), original.headers());
        assertThat(altered.statusCode()).as(altered.body()).isEqualTo(401);
        assertThat(JSON.readTree(altered.body()).get("error").asText()).isEqualTo("SIGNATURE_MISMATCH");

        // 2. A fresh event, well formed, signed with a secret the hub does not have.
        byte[] forged = cancellationEvent("evt_forged_" + UUID.randomUUID(), id);
        HttpResponse<String> wrongKey = post(forged, WebhookSigner.standardWebhooksHeaders(OTHER_SECRET,
                "evt_forged", Instant.now(), forged));
        assertThat(wrongKey.statusCode()).as(wrongKey.body()).isEqualTo(401);

        List<JsonNode> refused = await("two REFUSED deliveries recorded", () -> Optional.of(refusedRows())
                .filter(rows -> rows.size() >= refusedBefore + 2));
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.get("httpStatus").asInt()).isEqualTo(401);
            assertThat(r.get("reason").asText()).startsWith("SIGNATURE_MISMATCH");
            assertThat(r.get("inboxId").isNull()).as("nothing queued").isTrue();
        });
        JsonNode after = hubAppointment(id);
        assertThat(after.get("status").asText()).isEqualTo(before.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(after.get("updatedAt").asText()).isEqualTo(before.get("updatedAt").asText());
    }

    @Test
    void idOnlyPayloadIsCompletedWithASingleRecordReadFromBooksy() throws Exception {
        String id = nextActiveAppointment();
        SANDBOX.webhookTarget(null, null);
        SANDBOX.cancelAppointment(id, false, "Staff illness");
        long readsBefore = SANDBOX.requestCount("/api/v1/appointments/" + id);

        String eventId = "evt_idonly_" + UUID.randomUUID();
        byte[] body = JSON.writeValueAsBytes(Map.of("id", eventId, "type", "appointment.updated",
                "business_id", BooksySandbox.BUSINESS_ID, "created_at", Instant.now().toString(),
                "data", Map.of("id", id)));
        HttpResponse<String> accepted = post(body, WebhookSigner.standardWebhooksHeaders(WEBHOOK_SECRET, eventId,
                Instant.now(), body));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);

        JsonNode cancelled = await("appointment " + id + " cancelled in the hub", () -> Optional.of(
                hubAppointment(id)).filter(a -> a.get("status").asText().equals("CANCELLED_BY_BUSINESS")));
        assertThat(cancelled.get("cancellationReason").asText()).isEqualTo("Staff illness");
        assertThat(SANDBOX.requestCount("/api/v1/appointments/" + id)).isGreaterThan(readsBefore);
        await("event " + eventId + " DONE", () -> events(eventId).stream()
                .filter(e -> e.get("status").asText().equals("DONE")).findFirst());
    }

    @Test
    void aLostWebhookIsRepairedByTheNextIncrementalSync() throws Exception {
        String id = nextActiveAppointment();
        JsonNode before = hubAppointment(id);
        Instant newStart = Instant.parse(before.get("start").asText()).plus(Duration.ofDays(2));
        SANDBOX.webhookTarget(URI.create("http://localhost:1/x"), WEBHOOK_SECRET);
        long deliveredBefore = tap.size();
        int sent = SANDBOX.webhookDeliveries().size();

        SANDBOX.rescheduleAppointment(id, newStart);
        WebhookDelivery lost = awaitDelivery(sent);
        assertThat(lost.succeeded()).as(lost.toString()).isFalse();
        assertThat(lost.statusCode()).isEqualTo(-1);

        assertThat(tap.size()).as("nothing reached the hub").isEqualTo(deliveredBefore);
        assertThat(events(lost.eventId())).isEmpty();
        JsonNode stale = hubAppointment(id);
        assertThat(stale.get("start").asText()).isEqualTo(before.get("start").asText());
        assertThat(stale.get("updatedAt").asText()).isEqualTo(before.get("updatedAt").asText());

        JsonNode incremental = ok(call(connection + "/sync?wait=true").post(Entity.json(Map.of("mode",
                "INCREMENTAL"))), 200);
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("SUCCEEDED");
        assertThat(incremental.get("updatedCount").asLong()).as(incremental.toString()).isGreaterThanOrEqualTo(1);
        JsonNode repaired = hubAppointment(id);
        assertThat(Instant.parse(repaired.get("start").asText())).isEqualTo(newStart);
        assertThat(repaired.get("providerVersion").asLong())
                .isEqualTo(SANDBOX.appointment(id).orElseThrow().get("version").asLong());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A different not-cancelled appointment for every test, so the tests do not depend on their order. */
    private static synchronized String nextActiveAppointment() {
        List<String> ids = SANDBOX.appointmentIds();
        while (nextAppointment < ids.size()) {
            String id = ids.get(nextAppointment++);
            JsonNode a = SANDBOX.appointment(id).orElseThrow();
            String status = a.get("status").asText();
            boolean future = OffsetDateTime.parse(a.get("segments").get(0).get("start").asText()).toInstant()
                    .isAfter(Instant.now());
            if ((status.equals("booked") || status.equals("confirmed")) && a.get("cancellation").isNull()
                    && future) {
                return id;
            }
        }
        throw new IllegalStateException("the sandbox has no more active appointments");
    }

    /** The outcome of the delivery that follows the {@code before} ones already made. */
    private static WebhookDelivery awaitDelivery(int before) throws InterruptedException {
        assertThat(SANDBOX.awaitWebhookDeliveries(before + 1, DEADLINE)).as("webhook delivered").isTrue();
        return SANDBOX.webhookDeliveries().get(before);
    }

    private static JsonNode hubAppointment(String externalId) {
        JsonNode page = ok(call("/admin/businesses/" + business + "/appointments?limit=500").get(), 200);
        for (JsonNode a : page.get("items")) {
            if (a.get("externalId").asText().equals(externalId)) {
                return a;
            }
        }
        throw new AssertionError("appointment " + externalId + " not in the hub");
    }

    private static List<JsonNode> events(String eventId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : ok(call("/admin/businesses/" + business + "/webhook-events?limit=500").get(), 200)
                .get("items")) {
            if (eventId.equals(e.path("eventId").asText(null))) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<JsonNode> refusedRows() {
        List<JsonNode> out = new ArrayList<>();
        ok(call("/admin/businesses/" + business + "/webhook-events?status=REFUSED&limit=500").get(), 200)
                .get("items").forEach(out::add);
        return out;
    }

    private static long refusedCount() {
        return refusedRows().size();
    }

    private static byte[] cancellationEvent(String eventId, String appointmentId) throws IOException {
        JsonNode current = SANDBOX.appointment(appointmentId).orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode data = current.deepCopy();
        data.put("status", "cancelled");
        data.put("version", current.get("version").asLong() + 10);
        return JSON.writeValueAsBytes(Map.of("id", eventId, "type", "appointment.cancelled",
                "business_id", BooksySandbox.BUSINESS_ID, "created_at", Instant.now().toString(), "data", data));
    }

    /** Polls until the probe yields a value or the deadline passes; the deadline only bounds a hung run. */
    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> post(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                + "/connectors/booksy/webhook")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Type")) {
                b.header(k, v);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Invocation.Builder call(String path) {
        return CLIENT.target("http://localhost:" + APP.getLocalPort() + path).request(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static JsonNode ok(Response response, int status) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A loopback relay between the sandbox and the hub: forwards each POST unchanged and answers with the
     * hub's status and body, keeping the body bytes and Standard WebhooksFeature headers of every delivery.
     */
    static final class Tap implements AutoCloseable {
        record Captured(byte[] body, Map<String, String> headers, int hubStatus) {
        }

        private static final List<String> FORWARDED = List.of("Content-Type", "webhook-id", "webhook-timestamp",
                "webhook-signature");
        private final URI hub;
        private final HttpServer server;
        private final List<Captured> captured = new CopyOnWriteArrayList<>();

        Tap(URI hub) throws IOException {
            this.hub = hub;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", this::relay);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/relay");
        }

        int size() {
            return captured.size();
        }

        Captured find(String webhookId) {
            Predicate<Captured> match = c -> webhookId.equals(c.headers().get("webhook-id"));
            return captured.stream().filter(match).findFirst()
                    .orElseThrow(() -> new AssertionError("no delivery " + webhookId + " passed the tap"));
        }

        private void relay(HttpExchange ex) throws IOException {
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readAllBytes();
                Map<String, String> headers = new LinkedHashMap<>();
                for (String name : FORWARDED) {
                    String value = ex.getRequestHeaders().getFirst(name);
                    if (value != null) {
                        headers.put(name, value);
                    }
                }
                HttpResponse<byte[]> answer;
                try {
                    HttpRequest.Builder b = HttpRequest.newBuilder(hub)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    headers.forEach(b::header);
                    answer = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ex.sendResponseHeaders(502, -1);
                    return;
                }
                captured.add(new Captured(body, Map.copyOf(headers), answer.statusCode()));
                ex.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(answer.body());
                }
            } finally {
                ex.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
