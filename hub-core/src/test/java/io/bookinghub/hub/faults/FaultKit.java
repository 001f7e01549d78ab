package io.bookinghub.hub.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hubtesting.HubProcess;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the fault tests share: a WireMock standing in for Booksy's API (record reads counted per id), the
 * admin calls that connect a business, signed Booksy events, and direct reads of the test-owned database
 * (the inbox and the appointments are the ground truth, not what a hub says about them).
 */
final class FaultKit {
    static final String BOOKSY_BUSINESS = "b-1001";
    static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("fault-tests-webhook-secret-32by!".getBytes(StandardCharsets.US_ASCII));
    static final String API_KEY = "fault-tests-api-key";
    /** Bounds every wait; a deadline against hangs, never an expectation about speed. */
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FaultKit() {
    }

    /**
     * What differs between the hubs of a test.
     *
     * @param name           directory and log name, e.g. "hub-a"
     * @param workers        webhook worker threads
     * @param lease          how long a claim lasts (Dropwizard duration, e.g. "3s")
     * @param claimBatchSize events claimed per worker round trip
     * @param databaseUser   the role the hub connects as (a test can tell two hubs' writes apart by it)
     */
    record HubSettings(String name, int workers, String lease, int claimBatchSize, String databaseUser) {
        HubSettings {
            requireNonNull(name, "name is null");
            requireNonNull(lease, "lease is null");
            requireNonNull(databaseUser, "databaseUser is null");
        }

        HubSettings(String name, int workers, String lease, int claimBatchSize) {
            this(name, workers, lease, claimBatchSize, "postgres");
        }
    }

    /**
     * Starts a hub process on the test-owned database and waits until its admin API answers.
     *
     * <p>It runs {@code HubApplication} with the test JVM's own java binary and class path, so it is the code
     * under test. Under surefire {@code java.class.path} is its manifest-only booter jar, whose manifest lists
     * the whole test class path; {@code -cp} honours it. The plugins directory holds a copy of the Booksy zip the
     * reactor built; webhook polling and retries are fast, the sync scheduler is off.
     *
     * @param root    a directory the test owns; the hub gets {@code root/<name>}
     * @param keyFile the encryption key file; hubs sharing a database must share it (connection secrets are
     *                encrypted with it)
     */
    static HubProcess startHub(Path root, HubSettings settings, String jdbcUrl, Path keyFile)
            throws IOException, InterruptedException {
        // These tests are about durability with one tenant: its events may use every worker, and bursts are
        // not throttled. The fairness settings' own defaults are tested by HostileTenantTest.
        Map<String, Object> oneTenant = new LinkedHashMap<>();
        oneTenant.put("maxWorkersPerConnection", Math.max(1, settings.workers()));
        oneTenant.put("intakePerConnectionPerSecond", 0);
        return startHub(root, settings, jdbcUrl, keyFile, oneTenant);
    }

    /** Like {@link #startHub(Path, HubSettings, String, Path)}, with further {@code webhooks:} settings. */
    static HubProcess startHub(Path root, HubSettings settings, String jdbcUrl, Path keyFile,
            Map<String, Object> webhookSettings) throws IOException, InterruptedException {
        return startHub(root, settings, jdbcUrl, keyFile, webhookSettings, List.of());
    }

    /**
     * Like {@link #startHub(Path, HubSettings, String, Path, Map)}, with further settings of other sections as
     * Dropwizard system properties (e.g. {@code -Ddw.bookings.lease=PT3S}).
     */
    static HubProcess startHub(Path root, HubSettings settings, String jdbcUrl, Path keyFile,
            Map<String, Object> webhookSettings, List<String> settingProperties) throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        jvm.addAll(settingProperties);
        HubProcess.Builder builder = HubProcess.builder(HubApplication.class.getName(),
                        System.getProperty("java.class.path"),
                        root.resolve(settings.name()))
                .name(settings.name())
                // Small and quick to start: up to three JVMs and PostgreSQL share two cores.
                .jvmOptions(jvm)
                .pluginZips(Path.of(System.getProperty("hub.plugins.dir", "../plugins")), "booksy-connector-*.zip")
                .externalDatabase(jdbcUrl, settings.databaseUser())
                .maxPoolSize(8)
                .webhook("workerThreads", settings.workers())
                .webhook("pollInterval", "50ms")
                .webhook("lease", settings.lease())
                .webhook("claimBatchSize", settings.claimBatchSize())
                .webhook("initialBackoff", "1s")
                .webhook("maxBackoff", "2s")
                .keyFile(keyFile)
                // The Booksy API stand-in (booksyApi()) listens on loopback; its baseUrl() names it localhost.
                .outboundAllow("127.0.0.1:*")
                .outboundAllow("localhost:*");
        webhookSettings.forEach(builder::webhook);
        return builder.start();
    }

    /** A Booksy API stand-in; delayed answers do not hold a thread each. */
    static WireMockServer booksyApi() {
        WireMockServer wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .dynamicPort().asynchronousResponseEnabled(true).asynchronousResponseThreads(16)
                .containerThreads(32));
        wm.start();
        return wm;
    }

    static String appointmentPath(String id) {
        return "/api/v1/appointments/" + id;
    }

    /** Answers the record read of appointment {@code id} with a record of {@code version}, after {@code delay}. */
    static void stubAppointment(WireMockServer wm, String id, long version, Duration delay) throws IOException {
        stubAppointment(wm, id, version, delay, BOOKSY_BUSINESS);
    }

    /** Like {@link #stubAppointment(WireMockServer, String, long, Duration)} for another Booksy business. */
    static void stubAppointment(WireMockServer wm, String id, long version, Duration delay, String booksyBusiness)
            throws IOException {
        ObjectNode appointment = appointment(id, version);
        appointment.put("business_id", booksyBusiness);
        wm.stubFor(get(urlEqualTo(appointmentPath(id))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withFixedDelay((int) delay.toMillis())
                .withBody(JSON.writeValueAsString(appointment))));
    }

    /** A full Booksy appointment; its business_note names the version so the stored state shows its origin. */
    static ObjectNode appointment(String id, long version) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("business_id", BOOKSY_BUSINESS);
        n.put("client_id", "c-1");
        n.put("status", "confirmed");
        n.put("timezone", "Europe/Warsaw");
        ObjectNode segment = n.putArray("segments").addObject();
        segment.put("service_id", "svc-1");
        segment.put("staff_id", "s-1");
        segment.put("start", "2031-03-04T10:00:00+01:00");
        segment.put("end", "2031-03-04T11:00:00+01:00");
        n.putNull("cancellation");
        n.put("business_note", noteFor(version));
        n.put("version", version);
        n.put("updated_at", Instant.parse("2031-01-01T00:00:00Z").plusSeconds(version).toString());
        return n;
    }

    static String noteFor(long version) {
        return "state of version " + version;
    }

    /** Record reads of appointment {@code id} WireMock has received so far (logged on arrival, before any delay). */
    static int fetches(WireMockServer wm, String id) {
        return wm.findAll(getRequestedFor(urlEqualTo(appointmentPath(id)))).size();
    }

    /** Record reads per appointment id. */
    static Map<String, Integer> fetchesById(WireMockServer wm) {
        Map<String, Integer> out = new HashMap<>();
        for (LoggedRequest r : wm.findAll(getRequestedFor(urlPathMatching("/api/v1/appointments/.+")))) {
            out.merge(r.getUrl().substring("/api/v1/appointments/".length()), 1, Integer::sum);
        }
        return out;
    }

    /**
     * Creates a business and its Booksy connection (api-key mode, reads going to {@code booksy}, which first
     * confirms to the hub that the API key reaches the business).
     */
    static void connectBusiness(HubProcess hub, WireMockServer booksy) throws Exception {
        connectBusiness(hub, booksy, BOOKSY_BUSINESS);
    }

    /** Like {@link #connectBusiness(HubProcess, WireMockServer)} for the Booksy business {@code booksyBusiness}. */
    static void connectBusiness(HubProcess hub, WireMockServer booksy, String booksyBusiness) throws Exception {
        connectBusiness(hub, booksy, booksyBusiness, "1000", "1000");
    }

    /** {@link #connectBusiness(HubProcess, WireMockServer)} under the operator's rate budget for Booksy. */
    static void connectBusiness(HubProcess hub, WireMockServer booksy, String ratePerSecond, String burst)
            throws Exception {
        connectBusiness(hub, booksy, BOOKSY_BUSINESS, ratePerSecond, burst);
    }

    private static void connectBusiness(HubProcess hub, WireMockServer booksy, String booksyBusiness,
            String ratePerSecond, String burst) throws Exception {
        booksy.stubFor(get(urlPathEqualTo("/api/v1/businesses")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"data\":[{\"id\":\"" + booksyBusiness + "\"}],\"pagination\":{\"total_pages\":1}}")));
        String apiBaseUrl = booksy.baseUrl();
        JsonNode business = admin(hub, "POST", "/admin/businesses",
                Map.of("name", "Fault Studio", "timeZone", "Europe/Warsaw"), 201);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", apiBaseUrl);
        settings.put("authMode", "api-key");
        settings.put("webhookSecret", WEBHOOK_SECRET);
        // One read per apply: a client retry would count as a second fetch of the same event.
        settings.put("maxAttempts", "1");
        settings.put("requestTimeout", "PT120S");
        settings.put("rateLimitPerSecond", ratePerSecond);
        settings.put("rateLimitBurst", burst);
        admin(hub, "PUT", "/admin/connectors/booksy/settings", Map.of("settings", settings), 200);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiKey", API_KEY);
        config.put("businessId", booksyBusiness);
        admin(hub, "PUT", "/admin/businesses/" + business.get("id").asText() + "/connections/booksy",
                Map.of("config", config), 200);
    }

    static JsonNode admin(HubProcess hub, String method, String path, Object body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body() + "\n"
                    + hub.logTail());
        }
        return JSON.readTree(r.body());
    }

    /** An event that carries only the appointment id, so applying it reads the appointment from Booksy. */
    static byte[] idOnlyEvent(String eventId, String appointmentId) throws IOException {
        return idOnlyEvent(eventId, appointmentId, BOOKSY_BUSINESS);
    }

    /** Like {@link #idOnlyEvent(String, String)} for the Booksy business {@code booksyBusiness}. */
    static byte[] idOnlyEvent(String eventId, String appointmentId, String booksyBusiness) throws IOException {
        return JSON.writeValueAsBytes(Map.of("id", eventId, "type", "appointment.updated",
                "business_id", booksyBusiness, "created_at", Instant.now().toString(),
                "data", Map.of("id", appointmentId)));
    }

    /** An event carrying the whole appointment; applying it reads nothing from Booksy. */
    static byte[] fullEvent(String eventId, String appointmentId, long version) throws IOException {
        return JSON.writeValueAsBytes(Map.of("id", eventId, "type", "appointment.created",
                "business_id", BOOKSY_BUSINESS, "created_at", Instant.now().toString(),
                "data", appointment(appointmentId, version)));
    }

    /** Posts a Standard WebhooksFeature-signed event to the shared Booksy route; returns the status code. */
    static int post(HubProcess hub, String eventId, byte[] body) throws IOException, InterruptedException {
        return send(hub, eventId, body).statusCode();
    }

    /** Like {@link #post}, returning the whole answer (status and headers). */
    static HttpResponse<Void> send(HubProcess hub, String eventId, byte[] body) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/connectors/booksy/webhook"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigner.standardWebhooksHeaders(WEBHOOK_SECRET, eventId, Instant.now(), body).forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Type")) {
                b.header(k, v);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding());
    }

    /** An inbox row as stored. */
    record InboxState(String status, int attempts, String lastError) {
    }

    /** Every inbox row by event id, straight from the database. */
    static Map<String, InboxState> inbox(RestartablePostgres pg) throws SQLException {
        Map<String, InboxState> out = new HashMap<>();
        try (Connection c = pg.connect();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT event_id, status, attempts, last_error FROM webhook_inbox")) {
            while (rs.next()) {
                if (out.put(rs.getString(1), new InboxState(rs.getString(2), rs.getInt(3), rs.getString(4)))
                        != null) {
                    throw new AssertionError("two inbox rows for event " + rs.getString(1));
                }
            }
        }
        return out;
    }

    /** A stored appointment: how many rows carry its external id, and the state of the last one. */
    record StoredAppointment(int rows, Long providerVersion, String businessNote) {
    }

    static Map<String, StoredAppointment> appointments(RestartablePostgres pg) throws SQLException {
        Map<String, StoredAppointment> out = new HashMap<>();
        try (Connection c = pg.connect();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT external_id, provider_version, business_note FROM appointments "
                                + "WHERE deleted_at IS NULL")) {
            while (rs.next()) {
                long v = rs.getLong(2);
                Long version = rs.wasNull() ? null : v;
                out.merge(rs.getString(1), new StoredAppointment(1, version, rs.getString(3)),
                        (a, b) -> new StoredAppointment(a.rows() + b.rows(), b.providerVersion(), b.businessNote()));
            }
        }
        return out;
    }

    /**
     * Test-only instrumentation: a second hub connects as the role {@code role}, and a trigger notes which role
     * turned each event DONE, so a test can see that both processes drained the inbox ({@link #doneBy}).
     */
    static void noteWhichRoleAppliesEvents(RestartablePostgres pg, String role) throws SQLException {
        pg.execute("CREATE ROLE " + role + " LOGIN SUPERUSER",
                "CREATE TABLE fault_done_by (event_id text NOT NULL, done_by text NOT NULL)",
                "CREATE FUNCTION fault_note_done() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF NEW.status = 'DONE' AND OLD.status <> 'DONE' THEN "
                        + "INSERT INTO fault_done_by VALUES (NEW.event_id, current_user); END IF; "
                        + "RETURN NEW; END $$",
                "CREATE TRIGGER fault_note_done AFTER UPDATE ON webhook_inbox FOR EACH ROW "
                        + "EXECUTE FUNCTION fault_note_done()");
    }

    /** The roles that turned each event DONE, by event id. */
    static Map<String, List<String>> doneBy(RestartablePostgres pg) throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        try (Connection c = pg.connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT event_id, done_by FROM fault_done_by")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return out;
    }

    /** Polls until the probe yields a value; the deadline only bounds a hung run. */
    static <T> T await(String what, Supplier<Optional<T>> probe, Supplier<String> diagnostics)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + "\n" + diagnostics.get());
            }
            Thread.sleep(100);
        }
    }

    /** {@link #inbox} for probes. */
    static Map<String, InboxState> inboxUnchecked(RestartablePostgres pg) {
        try {
            return inbox(pg);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
