package io.bookinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hubtesting.HubProcess;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Hand-run benchmark of webhook ingestion through the whole hub (not a test: nothing here asserts a time).
 *
 * <p>The hub runs as a child JVM ({@link HubProcess}: the shaded {@code booking-hub.jar}, {@code server}, embedded
 * PostgreSQL, the real Booksy plugin zip) with one Booksy connection that has a webhook secret. A closed-loop
 * generator ({@link LoadGenerator}) then posts distinct Standard Webhooks-signed {@code appointment.updated}
 * events, each carrying a different appointment, to {@code POST /connectors/booksy/webhook}, and measures how many
 * per second the hub acknowledges with 2xx (each acknowledgement means the event was verified and committed to
 * the inbox) and the latency of those acknowledgements. In the same session and with the same generator it
 * measures two baselines: Dropwizard's {@code GET /ping} on the admin connector (the cheapest HTTP answer this
 * Jetty gives), and {@code POST /connectors/none/webhook} on the application connector, which Jersey routes to
 * the webhook resource and answers 404 before reading the body or touching the database (the cost of the
 * application's HTTP and JAX-RS stack). Finally it reports how fast the hub's webhook workers applied the
 * events to the shared model, from {@code GET /admin/webhooks/stats}.
 *
 * <p>The run fails loudly unless every acknowledged event ended DONE (none parked or unrouted) and the hub holds
 * exactly one appointment per acknowledged event.
 */
public final class WebhookBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(10);
    private static final String EVENT_TYPE = "appointment.updated";

    private final WebhookBenchOptions options;
    private final HubProcess hub;
    private final BooksySandbox sandbox;
    private final String webhookSecret;
    private final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LoadGenerator generator = new LoadGenerator();
    private final SingleCommitBaseline database;
    private final List<String> appointmentIds;
    private int nextAppointment;
    /** One measured event as sent: the baseline stores a payload of the same size. */
    private ObjectNode sampleEvent;
    private int sampleBodySize;

    private WebhookBenchmark(WebhookBenchOptions options, HubProcess hub, BooksySandbox sandbox, String webhookSecret,
            SingleCommitBaseline database) {
        this.options = options;
        this.hub = hub;
        this.sandbox = sandbox;
        this.webhookSecret = webhookSecret;
        this.database = database;
        this.appointmentIds = sandbox.appointmentIds();
    }

    public static void main(String[] args) throws Exception {
        SyncBenchmark.defaultNoDelay();
        WebhookBenchOptions options = BenchRun.options(args, WebhookBenchOptions::parse, WebhookBenchOptions.USAGE);
        BenchRun.printMachine();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        // Only the payloads come from the sandbox (full records, so no event makes the hub call Booksy);
        // it still serves as the connection's apiBaseUrl so the connection is a real, usable one.
        Path dir = Files.createTempDirectory("webhook-bench-");
        boolean stoppedCleanly = false;
        try (BooksySandbox sandbox = BooksySandbox.builder().appointments(options.warmupEvents() + options.events())
                .apiKey("bench-api-key").build().start();
                OtlpSink otlp = new OtlpSink();
                HubProcess hub = startHub(options, dir, sandbox, otlp)) {
            System.out.printf(Locale.ROOT, "hub: pid %d, %s (HUB_ADMIN_TOKEN in the environment), %d webhook "
                    + "workers, loopback only%n", hub.pid(), String.join(" ", hub.command()), options.workers());
            // HubProcess keeps the embedded PostgreSQL's data in <dir>/postgres.
            SingleCommitBaseline database = SingleCommitBaseline.ofEmbedded(dir.resolve("postgres"));
            SingleCommitBaseline.Durability durability = database.durability();
            System.out.printf(Locale.ROOT, "database: %s, %s%n", database.jdbcUrl(), durability);
            if (!durability.durable() && options.durableOnly()) {
                throw new IllegalStateException("the hub's database does not flush commits (" + durability
                        + "): an acknowledged event could be lost; measure with --durability any to compare anyway");
            }
            System.out.printf(Locale.ROOT, "tracing: %s%n", options.tracing() ? "on, OTLP/HTTP to " + otlp.endpoint()
                    + " (a sink in this JVM)" : "off (OpenTelemetry no-op)");
            new WebhookBenchmark(options, hub, sandbox, secret, database).run();
            stoppedCleanly = hub.stop();
            if (options.tracing()) {
                // After the hub's stop, which flushes its last spans.
                System.out.printf(Locale.ROOT, "tracing: %d OTLP exports received, %d bytes%n", otlp.exports(),
                        otlp.bytes());
            }
        } finally {
            if (stoppedCleanly) {
                deleteRecursively(dir);
            } else {
                System.err.println("hub files kept in " + dir + " (log: " + dir.resolve("hub.log") + ")");
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", BenchRun.loadAverage());
        // HTTP client threads must not keep the JVM alive.
        System.exit(0);
    }

    /**
     * The whole hub as a child JVM, started from its shaded jar as it is deployed, with an embedded PostgreSQL
     * whose data lives in {@code dir}, a copy of the Booksy plugin zip and the scheduler off (no syncs run). The
     * sandbox's loopback address is allow-listed for outbound calls, as an operator would for a test provider.
     */
    private static HubProcess startHub(WebhookBenchOptions o, Path dir, BooksySandbox sandbox, OtlpSink otlp)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(o.hubJar())) {
            throw new IllegalStateException("no hub jar at " + o.hubJar().toAbsolutePath()
                    + " (build it: ./mvnw -q -B -pl bench -am package -DskipTests)");
        }
        List<String> jvmOptions = new ArrayList<>();
        jvmOptions.add("-Xmx" + o.hubXmx());
        jvmOptions.addAll(o.hubJvmArgs());
        HubProcess.Builder hub = HubProcess.builder(HubApplication.class.getName(),
                o.hubJar().toAbsolutePath().toString(), dir);
        if (o.tracing()) {
            // Every span sampled and exported: the most tracing can cost.
            hub.environment("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
                    .environment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                    .environment("OTEL_TRACES_SAMPLER", "always_on");
        }
        return hub.name("hub")
                .commandPrefix(o.hubCpus() == null ? List.of() : List.of("taskset", "-c", o.hubCpus()))
                .jvmOptions(jvmOptions)
                .pluginZips(o.plugins(), "booksy-connector-*.zip")
                .maxPoolSize(16)
                .webhook("workerThreads", o.workers())
                // One tenant measured for throughput: it may use every worker and is not throttled (the
                // fairness limits are measured by HostileTenantBenchmark).
                .webhook("maxWorkersPerConnection", Math.max(1, o.workers()))
                .webhook("intakePerConnectionPerSecond", 0)
                .outboundAllow(URI.create(sandbox.baseUrl()).getAuthority())
                .startDeadline(Duration.ofMinutes(3))
                .start();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void run() throws Exception {
        String business = post("/admin/businesses", Map.of("name", "Bench salon", "timeZone", "Europe/Warsaw"), 201)
                .get("id").asText();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", sandbox.baseUrl());
        settings.put("authMode", "api-key");
        settings.put("webhookSecret", webhookSecret);
        send("PUT", hub.baseUrl() + "/admin/connectors/booksy/settings", Map.of("settings", settings), 200);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiKey", "bench-api-key");
        config.put("businessId", BooksySandbox.BUSINESS_ID);
        send("PUT", hub.baseUrl() + "/admin/businesses/" + business + "/connections/booksy",
                Map.of("config", config), 200);

        LoadGenerator.Request ping = new LoadGenerator.Request(URI.create(hub.adminBaseUrl() + "/ping"), "GET",
                null, Map.of());
        int senders = options.senders();
        Duration max = options.maxDuration();

        // Warm-up: both JVMs' JITs, the hub's connection pool and the generator's connections.
        int warm = options.warmupEvents();
        int warmedEvents = 0;
        if (warm > 0) {
            LoadGenerator.Result w = webhooks("warm-up", warm, senders, max);
            warmedEvents = w.expected();
            generator.run("warm-up ping", warm, senders, max, LoadGenerator.constant(ping), s -> s == 200);
            generator.run("warm-up 404", warm, senders, max, notFound(), s -> s == 404);
            if (options.workers() > 0) {
                awaitDrained();
            }
            System.out.printf(Locale.ROOT, "warm-up: %d events acknowledged in %.2f s%s%n", w.expected(),
                    w.wall().toNanos() / 1e9, options.workers() > 0 ? ", drained" : "");
        }

        LoadGenerator.Result pingResult = generator.run("GET /ping (admin port)", options.events(), senders, max,
                LoadGenerator.constant(ping), s -> s == 200);
        LoadGenerator.Result notFoundResult = generator.run("POST /connectors/none/webhook (404)", options.events(),
                senders, max, notFound(), s -> s == 404);

        Map<String, Long> before = inbox();
        long doneBefore = before.getOrDefault("DONE", 0L);
        long start = System.nanoTime();
        LoadGenerator.Result hooks = webhooks("POST /connectors/booksy/webhook (signed)", options.events(), senders,
                max);
        long ingestEnd = start + hooks.wall().toNanos();
        Map<String, Long> atEnd = inbox();
        long pendingAtEnd = atEnd.getOrDefault("PENDING", 0L);
        long acknowledged = warmedEvents + (long) hooks.expected();
        Map<String, Long> drained = options.workers() > 0 ? awaitDrained() : atEnd;
        long drainedAt = System.nanoTime();
        check(drained, acknowledged, business);

        System.out.printf(Locale.ROOT, "%nwebhook ingest: %d distinct events (%s), %d senders, max %s per phase%n%n",
                options.events(), EVENT_TYPE, senders, max);
        LoadGenerator.header().forEach(System.out::println);
        for (LoadGenerator.Result r : List.of(hooks, notFoundResult, pingResult)) {
            System.out.println(LoadGenerator.row(r));
        }
        System.out.printf(Locale.ROOT, "%nwebhook / ping throughput = %.3f; webhook / 404 throughput = %.3f%n",
                hooks.throughput() / pingResult.throughput(), hooks.throughput() / notFoundResult.throughput());
        singleCommitBaseline(hooks, business);

        if (options.workers() == 0) {
            System.out.println("\nno webhook workers (--workers 0): events were stored, not applied");
            return;
        }
        long applied = drained.getOrDefault("DONE", 0L) - doneBefore;
        double total = (drainedAt - start) / 1e9;
        double after = (drainedAt - ingestEnd) / 1e9;
        System.out.printf(Locale.ROOT, "%n| workers | events applied | ingest (s) | applied by ingest end | pending at "
                + "ingest end | drained after ingest (s) | applied/s (start to drained) | applied/s after ingest |%n");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %d | %d | %.2f | %.0f | %s |%n", options.workers(), applied,
                hooks.wall().toNanos() / 1e9, atEnd.getOrDefault("DONE", 0L) - doneBefore, pendingAtEnd, after,
                applied / total, pendingAtEnd >= 100 ? String.format(Locale.ROOT, "%.0f", pendingAtEnd / after)
                        : "n/a (kept up)");
        System.out.println("(drain times are observed by polling the stats every 100 ms)");
    }

    /**
     * The database's single-commit rate, measured last (after the checks, so its rows do not count) on the same
     * database with as many clients as there were senders, and the hub's rate as a multiple of it.
     */
    private void singleCommitBaseline(LoadGenerator.Result hooks, String business) throws Exception {
        SingleCommitBaseline.Result base = database.run(options.baseline(), options.senders(), options.events(),
                UUID.fromString(business), BooksySandbox.BUSINESS_ID, JSON.writeValueAsString(sampleEvent.get("data")),
                sampleBodySize);
        System.out.printf(Locale.ROOT, "%nsingle-commit baseline (inbox row + audit row, one transaction per event, "
                + "same database, %s): %s%n", database.durability(), SingleCommitBaseline.describe(base));
        System.out.printf(Locale.ROOT, "webhook / single-commit throughput = %.3f (%.0f events/s against %.0f tps)%n",
                hooks.throughput() / base.tps(), hooks.throughput(), base.tps());
    }

    /** Signs {@code count} fresh events just before sending them, so no timestamp ages past the tolerance. */
    private LoadGenerator.Result webhooks(String label, int count, int senders, Duration max)
            throws IOException, InterruptedException {
        if (nextAppointment + count > appointmentIds.size()) {
            throw new IllegalStateException("not enough generated appointments");
        }
        URI uri = URI.create(hub.baseUrl() + "/connectors/booksy/webhook");
        List<LoadGenerator.Request> requests = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String appointment = appointmentIds.get(nextAppointment++);
            String eventId = "evt_bench_" + appointment;
            ObjectNode event = JSON.createObjectNode();
            event.put("id", eventId);
            event.put("type", EVENT_TYPE);
            event.put("business_id", BooksySandbox.BUSINESS_ID);
            event.put("created_at", now.toString());
            event.set("data", sandbox.appointment(appointment).orElseThrow());
            byte[] body = JSON.writeValueAsBytes(event);
            sampleEvent = event;
            sampleBodySize = body.length;
            Map<String, String> headers = new LinkedHashMap<>(WebhookSigner.standardWebhooksHeaders(webhookSecret,
                    eventId, now, body));
            headers.put("Content-Type", "application/json");
            requests.add(new LoadGenerator.Request(uri, "POST", body, headers));
        }
        LoadGenerator.Result result = generator.run(label, count, senders, max, requests::get, s -> s == 200);
        // Requests not sent before the deadline stay unused: their appointments are skipped, not reused.
        return result;
    }

    private LoadGenerator.Request notFoundRequest() {
        // Empty body: Jetty closes a connection whose request body the application left unread, and the
        // 404 is answered before the body is read, so a body would make this baseline reconnect.
        return new LoadGenerator.Request(URI.create(hub.baseUrl() + "/connectors/none/webhook"), "POST",
                new byte[0], Map.of("Content-Type", "application/json"));
    }

    private IntFunction<LoadGenerator.Request> notFound() {
        return LoadGenerator.constant(notFoundRequest());
    }

    private void check(Map<String, Long> inbox, long acknowledged, String business)
            throws IOException, InterruptedException {
        // Without workers every stored event stays PENDING and nothing reaches the shared model.
        String expectedStatus = options.workers() > 0 ? "DONE" : "PENDING";
        long expectedAppointments = options.workers() > 0 ? acknowledged : 0;
        long inStatus = inbox.getOrDefault(expectedStatus, 0L);
        long rows = inbox.values().stream().mapToLong(Long::longValue).sum();
        if (inStatus != acknowledged || rows != acknowledged) {
            throw new IllegalStateException("acknowledged " + acknowledged + " events but the inbox holds " + inbox);
        }
        long appointments = get("/admin/businesses/" + business + "/record-counts").path("APPOINTMENT").asLong();
        if (appointments != expectedAppointments) {
            throw new IllegalStateException("acknowledged " + acknowledged + " events (one appointment each) but "
                    + "the hub holds " + appointments + " appointments");
        }
        System.out.printf(Locale.ROOT, "check: %d acknowledged events, %d inbox rows all %s, %d appointments%n",
                acknowledged, rows, expectedStatus, appointments);
    }

    private Map<String, Long> awaitDrained() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DRAIN_DEADLINE.toNanos();
        while (true) {
            Map<String, Long> inbox = inbox();
            if (inbox.getOrDefault("PENDING", 0L) == 0) {
                return inbox;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the inbox did not drain within " + DRAIN_DEADLINE + ": " + inbox);
            }
            Thread.sleep(100);
        }
    }

    private Map<String, Long> inbox() throws IOException, InterruptedException {
        Map<String, Long> out = new LinkedHashMap<>();
        get("/admin/webhooks/stats").path("inbox").fields().forEachRemaining(e ->
                out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", hub.baseUrl() + path, null, 200);
    }

    private JsonNode post(String path, Object body, int status) throws IOException, InterruptedException {
        return send("POST", hub.baseUrl() + path, body, status);
    }

    private JsonNode send(String method, String url, Object body, int status) throws IOException, InterruptedException {
        return send(admin, hub, method, url, body, status);
    }

    /** An admin API call with the hub's token; fails unless it answers {@code status}. */
    static JsonNode send(HttpClient admin, HubProcess hub, String method, String url, Object body, int status)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<String> r = admin.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException(method + " " + URI.create(url).getPath() + " answered " + r.statusCode()
                    + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

}
