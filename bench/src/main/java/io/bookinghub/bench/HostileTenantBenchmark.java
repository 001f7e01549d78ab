package io.bookinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubApplication;
import io.bookinghub.hubtesting.HubProcess;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hand-run benchmark of tenant isolation (not a test: nothing here asserts a time). One hub (child JVM, shipped
 * fairness defaults, 2 workers) with two Booksy connections. Tenant B sends signed full-record events at a steady
 * rate; its apply delay is {@code processedAt - receivedAt} as the hub reports each event. Phase 1 (the same-run
 * baseline): B alone. Phase 2: tenant A floods signed id-only events from several senders while its provider is a
 * tarpit (every read of an A appointment answers after {@code --tarpit}), so each of A's applies would hold a
 * worker. The report gives B's p50/p99/max per phase and the ratio of the p99s, and what A's flood was answered.
 */
public final class HostileTenantBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUSINESS_A = "b-hostile";
    private static final String BUSINESS_B = BooksySandbox.BUSINESS_ID;
    private static final String USAGE = "usage: HostileTenantBenchmark [--b-events N] [--b-interval ISO-8601] "
            + "[--flood-senders N] [--tarpit ISO-8601] [--hub-jar PATH] [--plugins DIR]\n"
            + "  defaults: --b-events 200 --b-interval PT0.1S --flood-senders 4 --tarpit PT60S "
            + "--hub-jar hub-core/target/booking-hub.jar --plugins plugins";

    private final HubProcess hub;
    private final BooksySandbox sandbox;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> appointments;
    private int nextAppointment;

    private HostileTenantBenchmark(HubProcess hub, BooksySandbox sandbox, String secret) {
        this.hub = hub;
        this.sandbox = sandbox;
        this.secret = secret;
        this.appointments = sandbox.appointmentIds();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--b-events", "200", "--b-interval", "PT0.1S",
                "--flood-senders", "4", "--tarpit", "PT60S", "--hub-jar", "hub-core/target/booking-hub.jar",
                "--plugins", "plugins"));
        for (int i = 0; i < args.length; i++) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println(USAGE);
                System.exit(2);
            }
            o.put(args[i], args[++i]);
        }
        int bEvents = Integer.parseInt(o.get("--b-events"));
        Duration interval = Duration.parse(o.get("--b-interval"));
        int floodSenders = Integer.parseInt(o.get("--flood-senders"));
        Duration tarpit = Duration.parse(o.get("--tarpit"));
        System.out.printf(Locale.ROOT, "machine: %d CPUs, java %s; options %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), o);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Path dir = Files.createTempDirectory("hostile-bench-");
        // The sandbox only supplies B's payloads (full records: B's applies read nothing from a provider).
        HttpServer tarpitServer = tarpit(tarpit);
        try (BooksySandbox sandbox = BooksySandbox.builder().appointments(2 * bEvents).build().start();
                HubProcess hub = HubProcess.builder(HubApplication.class.getName(),
                                Path.of(o.get("--hub-jar")).toAbsolutePath().toString(), dir)
                        .name("hub")
                        .jvmOptions(List.of("-Xmx512m"))
                        .pluginZips(Path.of(o.get("--plugins")), "booksy-connector-*.zip")
                        .outboundAllow("127.0.0.1:" + tarpitServer.getAddress().getPort())
                        .startDeadline(Duration.ofMinutes(3))
                        .start()) {
            new HostileTenantBenchmark(hub, sandbox, secret).run(bEvents, interval, floodSenders, tarpitServer);
            hub.stop();
        } finally {
            tarpitServer.stop(0);
        }
        System.exit(0);
    }

    /**
     * The Booksy API of both tenants: the account check lists both businesses; every appointment read (only A's
     * id-only events cause one) answers 503 after {@code delay}.
     */
    private static HttpServer tarpit(Duration delay) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/businesses", exchange -> answer(exchange, 200, "{\"data\":[{\"id\":\""
                + BUSINESS_A + "\"},{\"id\":\"" + BUSINESS_B + "\"}],\"pagination\":{\"total_pages\":1}}"));
        server.createContext("/api/v1/appointments/", exchange -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 503, "{\"error\":{\"code\":\"tarpit\"}}");
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void run(int bEvents, Duration interval, int floodSenders, HttpServer tarpitServer) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", "http://127.0.0.1:" + tarpitServer.getAddress().getPort());
        settings.put("authMode", "api-key");
        settings.put("webhookSecret", secret);
        settings.put("maxAttempts", "1");
        admin("PUT", "/admin/connectors/booksy/settings", Map.of("settings", settings), 200);
        String businessB = connect(BUSINESS_B);
        connect(BUSINESS_A);

        List<Double> quiet = sendB(businessB, bEvents, interval);

        AtomicBoolean flooding = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService flood = Executors.newFixedThreadPool(floodSenders);
        for (int t = 0; t < floodSenders; t++) {
            flood.execute(() -> {
                while (flooding.get()) {
                    String eventId = "evt_flood_" + sent.incrementAndGet();
                    int status;
                    try {
                        status = post(eventId, event(eventId, BUSINESS_A, JSON.createObjectNode().put("id",
                                "a-" + eventId)));
                    } catch (IOException | RuntimeException e) {
                        status = -1;
                    } catch (InterruptedException e) {
                        return;
                    }
                    answers.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                }
            });
        }
        List<Double> underFlood;
        try {
            // A's burst is in the inbox and its first tarpit reads hold their slots before B starts.
            Thread.sleep(3000);
            underFlood = sendB(businessB, bEvents, interval);
        } finally {
            flooding.set(false);
            flood.shutdown();
            flood.awaitTermination(60, TimeUnit.SECONDS);
        }
        System.out.printf(Locale.ROOT, "%ntenant A flood: %d requests from %d senders, answers %s%n", sent.get(),
                floodSenders, answers);
        System.out.println("\n| tenant B, " + bEvents + " events per phase | p50 (s) | p99 (s) | max (s) |");
        System.out.println("|---|---|---|---|");
        System.out.println(row("quiet (baseline)", quiet));
        System.out.println(row("under A's flood, A's provider a tarpit", underFlood));
        System.out.printf(Locale.ROOT, "%nB p99 under flood / quiet = %.2f%n",
                percentile(underFlood, 0.99) / percentile(quiet, 0.99));
    }

    private String connect(String booksyBusiness) throws IOException, InterruptedException {
        String business = admin("POST", "/admin/businesses", Map.of("name", "Salon " + booksyBusiness,
                "timeZone", "Europe/Warsaw"), 201).get("id").asText();
        admin("PUT", "/admin/businesses/" + business + "/connections/booksy", Map.of("config",
                Map.of("apiKey", "bench-api-key", "businessId", booksyBusiness)), 200);
        return business;
    }

    /** Sends B's events at a steady rate and waits until all are applied; returns their apply delays in seconds. */
    private List<Double> sendB(String business, int count, Duration interval) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String appointment = appointments.get(nextAppointment++);
            String eventId = "evt_b_" + appointment;
            ObjectNode data = ((ObjectNode) sandbox.appointment(appointment).orElseThrow()).put("business_id",
                    BUSINESS_B);
            int status = post(eventId, event(eventId, BUSINESS_B, data));
            if (status != 200) {
                throw new IllegalStateException("B's event " + eventId + " answered " + status);
            }
            ids.add(eventId);
            Thread.sleep(interval.toMillis());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Map<String, Double> delays = new LinkedHashMap<>();
            JsonNode page = admin("GET", "/admin/businesses/" + business + "/webhook-events?limit=500", null, 200);
            for (JsonNode e : page.path("items")) {
                if (ids.contains(e.path("eventId").asText()) && "DONE".equals(e.path("status").asText())) {
                    delays.put(e.path("eventId").asText(), Duration.between(Instant.parse(e.path("receivedAt")
                            .asText()), Instant.parse(e.path("processedAt").asText())).toNanos() / 1e9);
                }
            }
            if (delays.size() == ids.size()) {
                return new ArrayList<>(delays.values());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + delays.size() + " of B's " + ids.size()
                        + " events applied within 5 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static byte[] event(String eventId, String booksyBusiness, JsonNode data) throws IOException {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", eventId);
        event.put("type", "appointment.updated");
        event.put("business_id", booksyBusiness);
        event.put("created_at", Instant.now().toString());
        event.set("data", data);
        return JSON.writeValueAsBytes(event);
    }

    private int post(String eventId, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/connectors/booksy/webhook"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigner.standardWebhooksHeaders(secret, eventId, Instant.now(), body).forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Type")) {
                b.header(k, v);
            }
        });
        b.header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode admin(String method, String path, Object body, int status) throws IOException, InterruptedException {
        return WebhookBenchmark.send(http, hub, method, hub.baseUrl() + path, body, status);
    }

    private static String row(String label, List<Double> delays) {
        return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |", label, percentile(delays, 0.50),
                percentile(delays, 0.99), percentile(delays, 1.0));
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }
}
