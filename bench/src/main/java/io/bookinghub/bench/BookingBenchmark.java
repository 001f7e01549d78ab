package io.bookinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hubtesting.HubProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hand-run benchmark of two-way booking (not a test: nothing here asserts a time). A hub child JVM (the shaded jar,
 * on a durable PostgreSQL of the bench's own) with the Booksy plugin books appointments in an in-process Booksy
 * sandbox.
 *
 * <p><b>Latency:</b> one sender books {@code --requests} appointments through the hub
 * ({@code POST /v1/businesses/{id}/appointments}: command committed, sent with its idempotency key, the answer
 * written to the shared model and the command confirmed, the stored answer returned) and, alternating round by
 * round in the same run, as many directly at the sandbox ({@code POST /api/v1/appointments}, the same body the
 * connector sends): p50 and p99 of each, and the hub's as a ratio to the direct call's.
 *
 * <p><b>Throughput:</b> {@code --senders} concurrent senders book {@code --commands} appointments after the
 * connection's Booksy rate limit was set to {@code --rate} per second (burst 1, a connection override): commands per
 * second against that floor (wall / floor 1.00 = the hub is limited only by the provider's rate limit).
 */
public final class BookingBenchmark {
    private static final String API_KEY = "booking-bench-api-key";
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Options(int requests, int rounds, int warmup, int commands, int senders, double rate, Path hubJar) {
        static final String USAGE = """
                usage: BookingBenchmark [--requests N] [--rounds N] [--warmup N] [--commands N] [--senders N]
                                        [--rate R] [--hub-jar PATH]
                  defaults: --requests 100 --rounds 4 --warmup 50 --commands 200 --senders 16 --rate 20
                            --hub-jar hub-core/target/booking-hub.jar""";
        private static final Set<String> FLAGS = Set.of("--requests", "--rounds", "--warmup", "--commands",
                "--senders", "--rate", "--hub-jar");

        static Options parse(String[] args) {
            Map<String, String> given = BenchArgs.valued(args, FLAGS);
            Options o = new Options(Integer.parseInt(given.getOrDefault("--requests", "100")),
                    Integer.parseInt(given.getOrDefault("--rounds", "4")),
                    Integer.parseInt(given.getOrDefault("--warmup", "50")),
                    Integer.parseInt(given.getOrDefault("--commands", "200")),
                    Integer.parseInt(given.getOrDefault("--senders", "16")),
                    Double.parseDouble(given.getOrDefault("--rate", "20")),
                    Path.of(given.getOrDefault("--hub-jar", "hub-core/target/booking-hub.jar")));
            if (o.requests < 1 || o.rounds < 1 || o.warmup < 0 || o.commands < 1 || o.senders < 1 || !(o.rate > 0)) {
                throw new IllegalArgumentException("every count and the rate must be positive (warmup may be 0)");
            }
            return o;
        }
    }

    private final Options options;
    private final LoadGenerator generator = new LoadGenerator();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Every booking gets a weekday of its own, so no two ever compete for a slot. */
    private final AtomicInteger nextDay = new AtomicInteger();
    private final List<LocalDate> days = new ArrayList<>();

    private BookingBenchmark(Options options) {
        this.options = options;
        LocalDate day = LocalDate.now(WARSAW).plusDays(60);
        int needed = (options.requests() * 2) * options.rounds() + options.warmup() * 2 + options.commands() + 10;
        while (days.size() < needed) {
            if (day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add(day);
            }
            day = day.plusDays(1);
        }
    }

    public static void main(String[] args) throws Exception {
        SyncBenchmark.defaultNoDelay();
        Options options = BenchRun.options(args, Options::parse, Options.USAGE);
        BenchRun.requireHubJar(options.hubJar());
        BenchRun.printMachine();
        new BookingBenchmark(options).run();
        System.out.printf(Locale.ROOT, "load average after: %s%n", BenchRun.loadAverage());
        System.exit(0);
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("booking-bench-");
        try (BooksySandbox sandbox = BooksySandbox.builder().apiKey(API_KEY).build().start();
                EmbeddedPostgres postgres = EmbeddedDatabase.durableServer()) {
            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            try (HubProcess hub = HubProcess.builder(HubApplication.class.getName(),
                            options.hubJar().toAbsolutePath().toString(), dir)
                    .name("hub").jvmOptions(List.of("-Xmx512m")).maxPoolSize(16)
                    .pluginZips(Path.of(System.getProperty("hub.plugins.dir", "plugins")), "booksy-connector-*.zip")
                    .externalDatabase(jdbcUrl, "postgres").outboundAllow("127.0.0.1:*")
                    .startDeadline(Duration.ofMinutes(3)).start()) {
                measure(hub, sandbox);
                hub.stop();
            }
        } finally {
            ReadBenchmark.deleteRecursively(dir);
        }
    }

    private void measure(HubProcess hub, BooksySandbox sandbox) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", sandbox.baseUrl());
        settings.put("authMode", "api-key");
        settings.put("rateLimitPerSecond", "1000");
        settings.put("rateLimitBurst", "1000");
        admin(hub, "PUT", "/admin/connectors/booksy/settings", Map.of("settings", settings), 200);
        // One business: the hub binds a provider account to one business only.
        String business = business(hub, "Booking bench");
        String service = sandbox.serviceIds().get(0);

        System.out.println("warm-up: " + options.warmup() + " bookings each way");
        through(hub, business, service, options.warmup());
        direct(sandbox, service, options.warmup());
        long committedBefore = sandbox.writesCommitted();
        List<long[]> viaHub = new ArrayList<>();
        List<long[]> viaDirect = new ArrayList<>();
        for (int round = 0; round < options.rounds(); round++) {
            viaHub.add(through(hub, business, service, options.requests()).sortedLatencyNanos());
            viaDirect.add(direct(sandbox, service, options.requests()).sortedLatencyNanos());
        }
        long[] hubLatencies = merged(viaHub);
        long[] directLatencies = merged(viaDirect);
        if (sandbox.writesCommitted() - committedBefore != 2L * options.requests() * options.rounds()) {
            throw new IllegalStateException("expected one provider booking per request, the sandbox committed "
                    + (sandbox.writesCommitted() - committedBefore));
        }
        System.out.printf(Locale.ROOT, "%n| create, 1 sender, %d per side | p50 (ms) | p99 (ms) |%n|---|---|---|%n",
                hubLatencies.length);
        System.out.printf(Locale.ROOT, "| direct to the sandbox | %.2f | %.2f |%n", millis(directLatencies, 50),
                millis(directLatencies, 99));
        System.out.printf(Locale.ROOT, "| through the hub | %.2f | %.2f |%n", millis(hubLatencies, 50),
                millis(hubLatencies, 99));
        System.out.printf(Locale.ROOT, "| hub / direct | %.1fx | %.1fx |%n", millis(hubLatencies, 50)
                / millis(directLatencies, 50), millis(hubLatencies, 99) / millis(directLatencies, 99));

        // The connection's own rate limit from here on (a changed limit is a fresh bucket that starts with one permit).
        admin(hub, "PUT", "/admin/businesses/" + business + "/connections/booksy/overrides", Map.of("overrides",
                Map.of("rateLimitPerSecond", Double.toString(options.rate()), "rateLimitBurst", "1")), 200);
        long before = sandbox.writesCommitted();
        LoadGenerator.Result throughput = through(hub, business, service, options.commands(), options.senders());
        if (sandbox.writesCommitted() - before != options.commands()) {
            throw new IllegalStateException("expected " + options.commands() + " provider bookings, got "
                    + (sandbox.writesCommitted() - before));
        }
        // The bucket starts with one permit: n commands need (n - 1) / rate seconds at the least.
        double floorSeconds = (options.commands() - 1) / options.rate();
        double seconds = throughput.wall().toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "%n| throughput, %d senders, rate limit %.0f/s | commands | wall (s) | "
                + "commands/s | floor (s) | wall / floor |%n|---|---|---|---|---|---|%n", options.senders(),
                options.rate());
        System.out.printf(Locale.ROOT, "| through the hub | %d | %.2f | %.2f | %.2f | %.2f |%n", throughput.expected(),
                seconds, throughput.throughput(), floorSeconds, seconds / floorSeconds);
    }

    private LoadGenerator.Result through(HubProcess hub, String business, String service, int count)
            throws InterruptedException {
        return through(hub, business, service, count, 1);
    }

    private LoadGenerator.Result through(HubProcess hub, String business, String service, int count, int senders)
            throws InterruptedException {
        URI uri = URI.create(hub.baseUrl() + "/v1/businesses/" + business + "/appointments");
        LoadGenerator.Result r = generator.run("hub", count, senders, Duration.ofMinutes(10), i -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("service", service);
            body.put("staff", "any");
            body.put("start", nextSlot());
            body.put("client", Map.of("name", "Bench Client", "email", "bench@example.com"));
            return new LoadGenerator.Request(uri, "POST", bytes(body), Map.of("Authorization",
                    "Bearer " + hub.adminToken(), "Content-Type", "application/json", "Idempotency-Key",
                    UUID.randomUUID().toString()));
        }, status -> status == 201);
        return checked(r, count);
    }

    private LoadGenerator.Result direct(BooksySandbox sandbox, String service, int count) throws InterruptedException {
        URI uri = URI.create(sandbox.baseUrl() + "/api/v1/appointments");
        LoadGenerator.Result r = generator.run("direct", count, 1, Duration.ofMinutes(10), i -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("business_id", BooksySandbox.BUSINESS_ID);
            body.put("service_id", service);
            body.put("start", nextSlot());
            body.put("client", Map.of("first_name", "Bench", "last_name", "Client", "email", "bench@example.com"));
            body.put("external_reference", "direct-" + UUID.randomUUID());
            return new LoadGenerator.Request(uri, "POST", bytes(body), Map.of("X-Api-Key", API_KEY,
                    "Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
        }, status -> status == 201);
        return checked(r, count);
    }

    private static LoadGenerator.Result checked(LoadGenerator.Result r, int count) {
        if (r.expected() != count) {
            throw new IllegalStateException(r.target() + ": " + r.expected() + " of " + count + " answered 201; "
                    + "other statuses " + r.unexpected() + ", " + r.failed() + " without an answer");
        }
        return r;
    }

    private String nextSlot() {
        LocalDate day = days.get(nextDay.getAndIncrement());
        return OffsetDateTime.of(day.atTime(10, 0), WARSAW.getRules().getOffset(day.atTime(10, 0))).toString();
    }

    private String business(HubProcess hub, String name) throws Exception {
        String id = admin(hub, "POST", "/admin/businesses", Map.of("name", name, "timeZone", "Europe/Warsaw"), 201)
                .get("id").asText();
        admin(hub, "PUT", "/admin/businesses/" + id + "/connections/booksy", Map.of("config",
                Map.of("apiKey", API_KEY, "businessId", BooksySandbox.BUSINESS_ID)), 200);
        return id;
    }

    private JsonNode admin(HubProcess hub, String method, String path, Object body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] merged(List<long[]> parts) {
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    private static double millis(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
