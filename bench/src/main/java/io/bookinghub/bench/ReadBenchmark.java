package io.bookinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hub.model.ModelQueries;
import io.bookinghub.hub.model.ModelQuery;
import io.bookinghub.hub.model.PlanCost;
import io.bookinghub.hubtesting.AppointmentHistory;
import io.bookinghub.hubtesting.HubProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * Hand-run benchmark of the read API (not a test: nothing here asserts a time). Start-up is measured by
 * {@code bench/startup.sh}, which starts the hub the ways an operator does ({@code java -jar} and {@code bin/hub}).
 *
 * <p>A hub on a PostgreSQL of the bench's own (zonky, so rows can be bulk-loaded with
 * {@code generate_series} instead of synced for minutes) with one business per history size, each holding
 * {@link AppointmentHistory} ({@code --sizes}, 30 minutes apart, one segment each): the last week is the same in
 * all. A closed-loop generator then measures, in the same run, {@code GET /ping} on the admin port (the cheapest
 * answer this Jetty gives: the baseline) and one-week pages of appointments of 100 and of 10 per business. It prints
 * each throughput as a ratio to ping's, the largest history's as a ratio to the smallest's, and what PostgreSQL
 * touched for each page (EXPLAIN (ANALYZE, BUFFERS) of the hub's own statement). The app API's week page of 100
 * ({@code /v1}, an app key, an {@code ETag} computed per answer) is measured the same way, as is the same page asked
 * with the {@code If-None-Match} of its current tag (a 304 without a body).
 */
public final class ReadBenchmark {
    private static final Duration SPACING = Duration.ofMinutes(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param sizes    appointments of history per business
     * @param requests measured requests per target
     * @param warmup   unmeasured requests per target first
     * @param senders  concurrent senders
     * @param hubJar   the hub's shaded jar
     * @param hubXmx   {@code -Xmx} of the hub JVM
     * @param hubJvmArgs further JVM options of the hub, split on spaces (e.g. a flight recording)
     */
    record Options(List<Integer> sizes, int requests, int warmup, int senders, Path hubJar,
            String hubXmx, List<String> hubJvmArgs) {
        static final String USAGE = """
                usage: ReadBenchmark [--sizes N,N] [--requests N] [--warmup N] [--senders N]
                                     [--hub-jar PATH] [--hub-xmx SIZE] [--hub-jvm-args "OPTS"]
                  defaults: --sizes 10000,1000000 --requests 20000 --warmup 20000 --senders 8
                            --hub-jar hub-core/target/booking-hub.jar --hub-xmx 512m""";
        private static final Set<String> FLAGS = Set.of("--sizes", "--requests", "--warmup", "--senders",
                "--hub-jar", "--hub-xmx", "--hub-jvm-args");

        Options {
            sizes = List.copyOf(sizes);
            hubJvmArgs = List.copyOf(hubJvmArgs);
            if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1) || requests < 1 || warmup < 0 || senders < 1) {
                throw new IllegalArgumentException("sizes, requests and senders must be positive, the rest not "
                        + "negative");
            }
        }

        static Options parse(String[] args) {
            Map<String, String> given = BenchArgs.valued(args, FLAGS);
            return new Options(Arrays.stream(given.getOrDefault("--sizes", "10000,1000000").split(","))
                    .map(String::trim).map(Integer::parseInt).toList(),
                    Integer.parseInt(given.getOrDefault("--requests", "20000")),
                    Integer.parseInt(given.getOrDefault("--warmup", "20000")),
                    Integer.parseInt(given.getOrDefault("--senders", "8")),
                    Path.of(given.getOrDefault("--hub-jar", "hub-core/target/booking-hub.jar")),
                    given.getOrDefault("--hub-xmx", "512m"),
                    BenchArgs.words(given, "--hub-jvm-args"));
        }
    }

    private final Options options;
    private final LoadGenerator generator = new LoadGenerator();
    private final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ReadBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        SyncBenchmark.defaultNoDelay();
        Options options = BenchRun.options(args, Options::parse, Options.USAGE);
        BenchRun.requireHubJar(options.hubJar());
        BenchRun.printMachine();
        ReadBenchmark bench = new ReadBenchmark(options);
        bench.reads();
        System.out.printf(Locale.ROOT, "load average after: %s%n", BenchRun.loadAverage());
        // HTTP client threads must not keep the JVM alive.
        System.exit(0);
    }

    private HubProcess.Builder hub(Path dir) {
        return HubProcess.builder(HubApplication.class.getName(), options.hubJar().toAbsolutePath().toString(), dir)
                .name("hub").jvmOptions(Stream.concat(Stream.of("-Xmx" + options.hubXmx()),
                        options.hubJvmArgs().stream()).toList()).maxPoolSize(16)
                .startDeadline(Duration.ofMinutes(3));
    }

    private void reads() throws Exception {
        Path dir = Files.createTempDirectory("read-bench-");
        try (EmbeddedPostgres postgres = EmbeddedDatabase.durableServer()) {
            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            try (HubProcess hub = hub(dir).externalDatabase(jdbcUrl, "postgres").start()) {
                read(hub, postgres);
                hub.stop();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private void read(HubProcess hub, EmbeddedPostgres postgres) throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant from = end.minus(Duration.ofDays(7));
        Map<Integer, UUID> businesses = new LinkedHashMap<>();
        Jdbi jdbi = Jdbi.create(postgres.getPostgresDatabase());
        System.out.println("database: " + EmbeddedDatabase.durability(jdbi));
        for (int size : options.sizes()) {
            UUID business = UUID.fromString(WebhookBenchmark.send(admin, hub, "POST", hub.baseUrl()
                    + "/admin/businesses", Map.of("name", "History " + size, "timeZone", "Europe/Warsaw"), 201)
                    .get("id").asText());
            long t0 = System.nanoTime();
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                new AppointmentHistory(size, SPACING, end).load(c, business, true);
            }
            System.out.printf(Locale.ROOT, "loaded %,d appointments (+ segments) for business %s in %.1f s%n", size,
                    business, (System.nanoTime() - t0) / 1e9);
            businesses.put(size, business);
        }
        // What the bulk load left for later (autovacuum of a million new rows, the checkpoint writing their pages)
        // would otherwise run on the same 2 cores during the first measured targets.
        long settling = System.nanoTime();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("VACUUM (ANALYZE) appointments, appointment_segments");
            st.execute("CHECKPOINT");
        }
        System.out.printf(Locale.ROOT, "vacuumed and checkpointed in %.1f s%n", (System.nanoTime() - settling) / 1e9);

        String appKey = WebhookBenchmark.send(admin, hub, "POST", hub.baseUrl() + "/admin/api-keys",
                Map.of("name", "read bench", "role", "app", "businessIds", businesses.values().stream()
                        .map(UUID::toString).toList(), "scopes", List.of("read")), 201).get("token").asText();

        LoadGenerator.Request ping = new LoadGenerator.Request(URI.create(hub.adminBaseUrl() + "/ping"), "GET",
                null, Map.of());
        Map<String, LoadGenerator.Request> pages = new LinkedHashMap<>();
        for (int limit : new int[] {100, 10}) {
            for (var e : businesses.entrySet()) {
                URI uri = URI.create(hub.baseUrl() + "/admin/businesses/" + e.getValue() + "/appointments?from="
                        + from + "&to=" + end + "&limit=" + limit);
                checkPage(uri, hub, limit);
                pages.put(String.format(Locale.ROOT, "week page of %d, %,d appointments", limit, e.getKey()),
                        new LoadGenerator.Request(uri, "GET", null, Map.of("Authorization", "Bearer "
                                + hub.adminToken())));
            }
        }
        Map<String, LoadGenerator.Request> appPages = new LinkedHashMap<>();
        for (var e : businesses.entrySet()) {
            URI uri = URI.create(hub.baseUrl() + "/v1/businesses/" + e.getValue() + "/appointments?from=" + from
                    + "&to=" + end + "&limit=100");
            String etag = checkAppPage(uri, appKey);
            appPages.put(String.format(Locale.ROOT, "/v1 week page of 100, %,d appointments", e.getKey()),
                    new LoadGenerator.Request(uri, "GET", null, Map.of("Authorization", "Bearer " + appKey)));
            appPages.put(String.format(Locale.ROOT, "/v1 week page of 100, %,d appointments, 304", e.getKey()), new LoadGenerator.Request(uri, "GET", null, Map.of("Authorization",
                    "Bearer " + appKey, "If-None-Match", etag)));
        }
        Duration max = Duration.ofMinutes(3);
        int senders = options.senders();
        if (options.warmup() > 0) {
            generator.run("warm-up ping", options.warmup(), senders, max, LoadGenerator.constant(ping), s -> s == 200);
            for (var e : pages.entrySet()) {
                generator.run("warm-up", options.warmup() / 4, senders, max, LoadGenerator.constant(e.getValue()),
                        s -> s == 200);
            }
            for (var e : appPages.entrySet()) {
                generator.run("warm-up", options.warmup() / 4, senders, max, LoadGenerator.constant(e.getValue()),
                        s -> s == 200 || s == 304);
            }
        }
        LoadGenerator.Result pingResult = generator.run("GET /ping (admin port)", options.requests(), senders, max,
                LoadGenerator.constant(ping), s -> s == 200);
        Map<String, LoadGenerator.Result> results = new LinkedHashMap<>();
        for (var e : pages.entrySet()) {
            results.put(e.getKey(), generator.run(e.getKey(), options.requests(), senders, max,
                    LoadGenerator.constant(e.getValue()), s -> s == 200));
        }
        for (var e : appPages.entrySet()) {
            int expected = e.getKey().endsWith("304") ? 304 : 200;
            results.put(e.getKey(), generator.run(e.getKey(), options.requests(), senders, max,
                    LoadGenerator.constant(e.getValue()), s -> s == expected));
        }
        // Ping again last: the machine's load drifts during a run, so the baseline brackets the pages.
        LoadGenerator.Result pingAfter = generator.run("GET /ping (admin port), again", options.requests(), senders,
                max, LoadGenerator.constant(ping), s -> s == 200);

        System.out.printf(Locale.ROOT, "%nreads: one week [%s, %s) of appointments, %d senders, %d requests per "
                + "target%n%n", from, end, senders, options.requests());
        LoadGenerator.header().forEach(System.out::println);
        System.out.println(LoadGenerator.row(pingResult));
        results.values().forEach(r -> System.out.println(LoadGenerator.row(r)));
        System.out.println(LoadGenerator.row(pingAfter));

        double pingMean = (pingResult.throughput() + pingAfter.throughput()) / 2;
        ModelQueries queries = new ModelQueries(jdbi);
        System.out.printf(Locale.ROOT, "%n| page | throughput / ping (mean of both) | throughput / smallest history's "
                + "| rows PostgreSQL read | shared buffers |%n|---|---|---|---|---|%n");
        int smallest = options.sizes().get(0);
        for (int limit : new int[] {100, 10}) {
            double base = results.get(String.format(Locale.ROOT, "week page of %d, %,d appointments", limit,
                    smallest)).throughput();
            for (var e : businesses.entrySet()) {
                LoadGenerator.Result r = results.get(String.format(Locale.ROOT, "week page of %d, %,d appointments",
                        limit, e.getKey()));
                PlanCost plan = queries.explainAppointments(ModelQuery.forBusiness(e.getValue()).between(from, end)
                        .page(limit + 1));
                System.out.printf(Locale.ROOT, "| %d per page, %,d appointments | %.3f | %.3f | %d | %d |%n", limit,
                        e.getKey(), r.throughput() / pingMean, r.throughput() / base, plan.rowsRead(),
                        plan.sharedBuffers());
            }
        }
        System.out.printf(Locale.ROOT, "%n| /v1 page of 100 (app key) | throughput / ping (mean of both) "
                + "| throughput / the admin page's |%n|---|---|---|%n");
        for (var e : appPages.keySet()) {
            String size = e.replace("/v1 week page of 100, ", "").replace(", 304", "");
            double adminPage = results.get("week page of 100, " + size).throughput();
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", e.replace("/v1 week page of 100, ", ""),
                    results.get(e).throughput() / pingMean, results.get(e).throughput() / adminPage);
        }
        EmbeddedDatabase.printStatements(jdbi);
    }

    /** As {@link #checkPage} for a {@code /v1} page of 100 with an app key; returns the page's ETag. */
    private String checkAppPage(URI uri, String appKey) throws IOException, InterruptedException {
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + appKey)
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode page = JSON.readTree(r.body());
        String etag = r.headers().firstValue("ETag").orElse(null);
        if (r.statusCode() != 200 || page.get("items").size() != 100 || etag == null) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ", ETag " + etag + ": " + r.body());
        }
        return etag;
    }

    /** Fails unless the page answers 200 with {@code limit} items and a next cursor (the week holds more). */
    private void checkPage(URI uri, HubProcess hub, int limit) throws IOException, InterruptedException {
        JsonNode page = WebhookBenchmark.send(admin, hub, "GET", uri.toString(), null, 200);
        if (page.get("items").size() != limit || !page.path("next").isTextual()) {
            throw new IllegalStateException(uri + " answered " + page.get("items").size() + " items, next "
                    + page.get("next"));
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
