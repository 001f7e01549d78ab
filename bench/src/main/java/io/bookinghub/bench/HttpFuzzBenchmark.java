package io.bookinghub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hubtesting.HttpFuzzer;
import io.bookinghub.hubtesting.HubProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The long run of hub-core's {@code HttpFuzzTest}: the same seeded hostile requests ({@link HttpFuzzer}) against
 * the whole hub as a child JVM (shaded jar, embedded PostgreSQL, the Booksy plugin), many more of them. Exits 1
 * when any answer broke the rule (a 5xx, or an error not in the one JSON shape), printing the seed to replay it.
 *
 * <p>Usage: {@code HttpFuzzBenchmark [--requests N] [--connections C] [--seed S] [--hub-jar PATH]
 * [--plugins DIR]}; defaults 200000, 4, random, {@code hub-core/target/booking-hub.jar}, {@code plugins}.
 */
public final class HttpFuzzBenchmark {
    private HttpFuzzBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            given.put(args[i], args[i + 1]);
        }
        int requests = Integer.parseInt(given.getOrDefault("--requests", "200000"));
        int connections = Integer.parseInt(given.getOrDefault("--connections", "4"));
        long seed = Long.parseLong(given.getOrDefault("--seed", Long.toString(System.nanoTime())));
        Path hubJar = Path.of(given.getOrDefault("--hub-jar", "hub-core/target/booking-hub.jar"));
        Path plugins = Path.of(given.getOrDefault("--plugins", "plugins"));
        if (!Files.isRegularFile(hubJar)) {
            throw new IllegalStateException("no hub jar at " + hubJar.toAbsolutePath()
                    + " (build it: ./mvnw -q -B -pl bench -am package -DskipTests)");
        }
        Path dir = Files.createTempDirectory("fuzz-bench-");
        int exit;
        try (HubProcess hub = HubProcess.builder(HubApplication.class.getName(), hubJar.toAbsolutePath().toString(),
                dir).name("hub").pluginZips(plugins, "*.zip").startDeadline(Duration.ofMinutes(3)).start()) {
            String business = createBusiness(hub);
            URI base = URI.create(hub.baseUrl());
            HttpFuzzer fuzzer = new HttpFuzzer(base.getHost(), base.getPort(), hub.adminToken(), Map.of(
                    "businessId", List.of(business),
                    "connectorId", List.of("booksy", "csv-import", "zapier-inbound", "nothing"),
                    "connectionId", List.of(UUID.randomUUID().toString()),
                    "appointmentId", List.of(UUID.randomUUID().toString()),
                    "runId", List.of(UUID.randomUUID().toString()),
                    "id", List.of("1", UUID.randomUUID().toString()),
                    "keyId", List.of(UUID.randomUUID().toString())), HttpFuzzer.ROUTES);
            long start = System.nanoTime();
            HttpFuzzer.Report report = fuzzer.run(seed, requests, connections);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s in %.1f s (%.0f requests/s over %d connections)%n",
                    report.summary(), seconds, requests / seconds, connections);
            report.failures().stream().limit(50).forEach(System.out::println);
            exit = report.failures().isEmpty() ? 0 : 1;
            hub.stop();
        }
        System.exit(exit);
    }

    private static String createBusiness(HubProcess hub) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(hub.baseUrl() + "/admin/businesses"))
                .header("Authorization", "Bearer " + hub.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Fuzz Salon\",\"timeZone\":\"Europe/Warsaw\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating the business answered " + r.statusCode());
        }
        return new ObjectMapper().readTree(r.body()).get("id").asText();
    }
}
