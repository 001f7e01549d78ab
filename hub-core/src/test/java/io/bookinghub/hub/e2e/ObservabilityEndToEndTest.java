package io.bookinghub.hub.e2e;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of one end-to-end run: the Booksy plugin connected over OAuth to the sandbox and fully
 * synced, a webhook delivered and applied, a CSV file imported. Then the admin port's Prometheus scrape has every
 * family with its labels and non-zero counts, the spans link a webhook's apply to its intake and hang provider
 * calls under sync pages, and the logs carry the event id through intake and apply and no secret or client data.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ObservabilityEndToEndTest {
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("observability-end-to-end-secret!".getBytes(StandardCharsets.US_ASCII));
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static final String CSV_CLIENT = "Zofia Testowa";
    private static final String CSV_PHONE = "+48 600 555 777";
    private static final String SYNC_REQUEST_ID = "ops-sync-0001";

    private static final BooksySandbox SANDBOX = BooksySandbox.builder().port(0).allowLocalhostRedirects(true)
            .build().start();
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder().setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build()).build();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static UUID business;
    private static String webhookEventId;
    private static Instant webhookSent;
    private static Instant webhookDone;

    static {
        try {
            APP = HubTestApp.traced(DB, BuiltPlugins.copy("booksy-connector", "csv-import-connector"),
                    Files.createTempDirectory("var"), HubTestApp.environment(), OTEL,
                    ConfigOverride.config("sync.schedulerEnabled", "false"),
                    ConfigOverride.config("webhooks.pollInterval", "50ms"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void runEverything() throws Exception {
        // After the hub started (Dropwizard configures logging at start); DEBUG for the hub's own lines, so the
        // audit's per-call lines are in what is checked.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOGS.start();
        root.addAppender(LOGS);
        ((Logger) LoggerFactory.getLogger("io.bookinghub")).setLevel(Level.DEBUG);

        business = UUID.fromString(ok(post("/admin/businesses", Map.of("name", "Observed Studio",
                "timeZone", "Europe/Warsaw")), 201).get("id").asText());
        String connection = "/admin/businesses/" + business + "/connections/booksy";
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", SANDBOX.baseUrl());
        settings.put("clientId", BooksySandbox.DEMO_CLIENT_ID);
        settings.put("clientSecret", BooksySandbox.DEMO_CLIENT_SECRET);
        settings.put("redirectUri", "http://localhost:" + APP.getLocalPort() + "/connectors/booksy/oauth/callback");
        settings.put("webhookSecret", WEBHOOK_SECRET);
        settings.put("rateLimitPerSecond", "1000");
        settings.put("rateLimitBurst", "1000");
        ok(send("PUT", "/admin/connectors/booksy/settings", Map.of("settings", settings)), 200);
        ok(send("PUT", connection, Map.of("config", Map.of("businessId", BooksySandbox.BUSINESS_ID))), 200);

        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager()).build();
        HttpResponse<String> started = browser.send(HttpRequest.newBuilder(URI.create(hub("/connectors/booksy/oauth/"
                + "start?business=" + business + "&format=json"))).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        HttpResponse<String> authorize = browser.send(HttpRequest.newBuilder(URI.create(JSON.readTree(started.body())
                .get("authorizationUrl").asText())).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> connected = browser.send(HttpRequest.newBuilder(URI.create(authorize.headers()
                .firstValue("Location").orElseThrow())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);

        HttpResponse<String> sync = exchange(HttpRequest.newBuilder(URI.create(hub(connection + "/sync?wait=true")))
                .header("Content-Type", "application/json").header("X-Request-Id", SYNC_REQUEST_ID)
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"FULL\"}")));
        assertThat(sync.headers().firstValue("X-Request-Id")).contains(SYNC_REQUEST_ID);
        JsonNode full = ok(sync, 200);
        assertThat(full.get("status").asText()).as(full.toString()).isIn("SUCCEEDED", "PARTIAL");

        // An id-only event: its apply reads the appointment from Booksy, so the apply logs and calls out.
        String appointment = SANDBOX.appointmentIds().get(0);
        webhookEventId = "evt_observed_" + UUID.randomUUID();
        byte[] body = JSON.writeValueAsBytes(Map.of("id", webhookEventId, "type", "appointment.updated",
                "business_id", BooksySandbox.BUSINESS_ID, "created_at", Instant.now().toString(),
                "data", Map.of("id", appointment)));
        webhookSent = Instant.now();
        HttpRequest.Builder webhook = HttpRequest.newBuilder(URI.create(hub("/connectors/booksy/webhook")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigner.standardWebhooksHeaders(WEBHOOK_SECRET, webhookEventId, Instant.now(), body)
                .forEach(webhook::header);
        HttpResponse<String> accepted = HTTP.send(webhook.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        await("event " + webhookEventId + " DONE", () -> {
            JsonNode events = ok(get("/admin/businesses/" + business + "/webhook-events?eventId=" + webhookEventId),
                    200);
            for (JsonNode e : events.get("items")) {
                if (e.get("status").asText().equals("DONE")) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        });
        webhookDone = Instant.now();

        ok(send("PUT", "/admin/businesses/" + business + "/connections/csv-import", Map.of("config", Map.of())), 200);
        String csv = "date,time,duration,service,staff,client,phone,price\n"
                + "2026-12-07,10:00,45,Haircut,Anna," + CSV_CLIENT + "," + CSV_PHONE + ",120\n";
        HttpResponse<String> imported = HTTP.send(HttpRequest.newBuilder(URI.create(hub("/admin/businesses/"
                + business + "/connections/csv-import/imports?kind=appointments")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        ((Logger) LoggerFactory.getLogger("io.bookinghub")).setLevel(null);
        SANDBOX.close();
    }

    @Test
    void theScrapeHasEveryFamilyWithConnectorLabelsAndCounts() throws Exception {
        HttpResponse<String> text = HTTP.send(HttpRequest.newBuilder(URI.create(admin("/metrics/prometheus")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        // The same registry in Prometheus's protobuf format, read with its own generated parser.
        HttpResponse<InputStream> proto = HTTP.send(HttpRequest.newBuilder(URI.create(admin("/metrics/prometheus")))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                        + "encoding=delimited").build(), HttpResponse.BodyHandlers.ofInputStream());
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        try (InputStream in = proto.body()) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(family.getName(), family);
            }
        }
        for (String name : families.keySet()) {
            assertThat(text.body()).as("text exposition has " + name).contains("# TYPE " + name + " ");
        }

        assertThat(sum(families, "hub_outbound_requests_total", Map.of("connector", "booksy", "status_class", "2xx")))
                .isPositive();
        assertThat(histogramCount(families, "hub_outbound_request_seconds", Map.of("connector", "booksy")))
                .isPositive();
        assertThat(histogramCount(families, "hub_rate_limit_wait_seconds", Map.of("connector", "booksy")))
                .isPositive();
        assertThat(families).containsKeys("hub_outbound_retries_total", "hub_outbound_throttled_total",
                "hub_token_refreshes_total");
        assertThat(sum(families, "hub_oauth_flows_total", Map.of("connector", "booksy", "outcome", "started")))
                .isEqualTo(1);
        assertThat(sum(families, "hub_oauth_flows_total", Map.of("connector", "booksy", "outcome", "completed")))
                .isEqualTo(1);
        assertThat(sum(families, "hub_sync_runs_started_total", Map.of("connector", "booksy", "kind", "FULL")))
                .isEqualTo(1);
        assertThat(sum(families, "hub_sync_runs_finished_total", Map.of("connector", "booksy", "kind", "FULL")))
                .isEqualTo(1);
        assertThat(sum(families, "hub_sync_records_total", Map.of("connector", "booksy", "outcome", "created")))
                .isPositive();
        assertThat(sum(families, "hub_sync_records_total", Map.of("connector", "csv-import", "kind", "IMPORT",
                "outcome", "created"))).isPositive();
        assertThat(families).containsKeys("hub_sync_run_seconds", "hub_sync_runs_running");
        assertThat(sum(families, "hub_webhook_deliveries_total", Map.of("connector", "booksy", "outcome",
                "accepted"))).isEqualTo(1);
        assertThat(histogramCount(families, "hub_webhook_intake_seconds", Map.of("connector", "booksy")))
                .isPositive();
        assertThat(sum(families, "hub_inbox_claims_total", Map.of("connector", "booksy"))).isPositive();
        assertThat(sum(families, "hub_inbox_applies_total", Map.of("connector", "booksy", "outcome", "done")))
                .isEqualTo(1);
        assertThat(sum(families, "hub_webhook_workers_alive", Map.of())).isPositive();
        // Everything applied: the backlog is there, at 0, for the alert rules to read.
        assertThat(families.get("hub_inbox_events").getMetricList())
                .filteredOn(m -> matches(m, Map.of("connector", "booksy"))).hasSize(3);
        assertThat(sum(families, "hub_inbox_events", Map.of("connector", "booksy", "status", "PENDING"))).isZero();
        assertThat(sum(families, "hub_inbox_oldest_pending_seconds", Map.of("connector", "booksy"))).isZero();
        assertThat(sum(families, "hub_connections", Map.of("connector", "booksy", "status", "ACTIVE")))
                .isEqualTo(1);
        assertThat(sum(families, "hub_api_requests_total", Map.of("route",
                "/admin/businesses/{businessId}/connections/{connectorId}/sync", "status", "200"))).isPositive();
        assertThat(families).containsKey("hub_db_pool_active_connections");
        assertThat(families.get("hub_db_pool_waiting_threads").getMetricList()).isNotEmpty();
        // Dropwizard's own metrics come through the bridge: Jetty's, the pool's and webhook intake's counters (its
        // jvm.* gauges too, which the `server` command registers and this test's start does not).
        assertThat(families).containsKeys("io_dropwizard_jetty_MutableServletContextHandler_requests",
                "io_dropwizard_db_ManagedPooledDataSource_postgresql_active", "webhooks_accepted_total");

        // Never a tenant's id in a label.
        String tenant = business.toString();
        families.values().forEach(f -> f.getMetricList().forEach(m -> m.getLabelList().forEach(l ->
                assertThat(l.getValue()).as(f.getName()).doesNotContain(tenant))));
    }

    @Test
    void aRequestIdIsTakenWhenValidOrGeneratedEchoedAndOnTheRequestsLogLines() {
        HttpResponse<String> given = exchange(HttpRequest.newBuilder(URI.create(hub("/admin/connectors")))
                .header("X-Request-Id", "abc.DEF_1-2:3").GET());
        assertThat(given.headers().firstValue("X-Request-Id")).contains("abc.DEF_1-2:3");
        HttpResponse<String> invalid = exchange(HttpRequest.newBuilder(URI.create(hub("/admin/connectors")))
                .header("X-Request-Id", "x".repeat(65)).GET());
        assertThat(invalid.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}");
        HttpResponse<String> none = exchange(HttpRequest.newBuilder(URI.create(hub("/admin/connectors"))).GET());
        assertThat(none.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}")
                .isNotEqualTo(invalid.headers().firstValue("X-Request-Id").orElseThrow());

        // The sync was started by a request with an id: the line that says so carries it, and the run's lines
        // carry the run's id.
        List<ILoggingEvent> events = new ArrayList<>(LOGS.list);
        assertThat(events).filteredOn(e -> SYNC_REQUEST_ID.equals(e.getMDCPropertyMap().get("requestId")))
                .extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains("started for connection"));
        assertThat(events).filteredOn(e -> e.getThreadName().startsWith("sync-run-"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.getMDCPropertyMap()).as(e.getFormattedMessage())
                        .containsKeys("runId", "connectionId").containsEntry("connector", "booksy"));
    }

    @Test
    void livenessAndReadinessAreSeparateProbesOnTheAdminPort() throws Exception {
        HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create(admin("/health/live"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("status").asText()).isEqualTo("UP");
        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(admin("/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertThat(List.of("postgresql", "migrations", "plugins")).allSatisfy(name ->
                assertThat(checks.get(name).get("healthy").asBoolean()).as(name).isTrue());
    }

    @Test
    void aWebhooksApplyLinksToItsIntakeAndSyncPagesHoldProviderCalls() {
        List<SpanData> spans = SPANS.getFinishedSpanItems();
        SpanData apply = spans.stream().filter(s -> s.getName().equals("webhook apply")
                && s.getKind() == SpanKind.CONSUMER).filter(s -> !s.getLinks().isEmpty()).findFirst().orElseThrow();
        SpanData intake = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER
                && s.getName().equals("POST /connectors/{connectorId}/webhook")).findFirst().orElseThrow();
        // Linked through the stored traceparent, so the link's context is a remote one with the intake's ids.
        assertThat(apply.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(intake.getTraceId());
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(intake.getSpanId());
        });
        assertThat(apply.getTraceId()).isNotEqualTo(intake.getTraceId());
        // The apply's provider read is a client span under the apply.
        assertThat(spans).anySatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(s.getParentSpanId()).isEqualTo(apply.getSpanId());
        });

        SpanData run = spans.stream().filter(s -> s.getName().equals("sync run")).findFirst().orElseThrow();
        List<SpanData> pages = spans.stream().filter(s -> s.getName().equals("sync page")
                && s.getParentSpanId().equals(run.getSpanId())).toList();
        assertThat(pages).hasSizeGreaterThan(1);
        List<String> pageIds = pages.stream().map(SpanData::getSpanId).toList();
        List<SpanData> calls = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT
                && pageIds.contains(s.getParentSpanId())).toList();
        assertThat(calls).isNotEmpty().allSatisfy(call -> {
            assertThat(call.getAttributes().asMap().toString()).contains("booksy");
            assertThat(call.getTraceId()).isEqualTo(run.getTraceId());
        });
    }

    @Test
    void everyLogLineOfTheWebhooksApplyCarriesItsEventIdAndNoLineCarriesSecretsOrClientData() {
        List<ILoggingEvent> events = new ArrayList<>(LOGS.list);
        List<ILoggingEvent> applying = events.stream()
                .filter(e -> e.getThreadName().startsWith("webhook-worker"))
                .filter(e -> !Instant.ofEpochMilli(e.getTimeStamp()).isBefore(webhookSent)
                        && !Instant.ofEpochMilli(e.getTimeStamp()).isAfter(webhookDone))
                .toList();
        assertThat(applying).as("the apply logs (its provider read, at least)").isNotEmpty();
        assertThat(applying).allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                .as(e.getFormattedMessage()).containsEntry("eventId", webhookEventId)
                .containsEntry("connector", "booksy").containsKey("connectionId"));
        assertThat(events).filteredOn(e -> webhookEventId.equals(e.getMDCPropertyMap().get("eventId")))
                .extracting(ILoggingEvent::getThreadName).anyMatch(t -> t.startsWith("webhook-worker"));

        List<String> forbidden = new ArrayList<>(List.of(BooksySandbox.DEMO_CLIENT_SECRET, WEBHOOK_SECRET,
                CSV_CLIENT, CSV_PHONE, "Bearer ", "access_token=", "refresh_token="));
        for (String clientId : SANDBOX.clientIds()) {
            JsonNode client = SANDBOX.client(clientId).orElseThrow();
            for (String field : List.of("email", "phone", "last_name")) {
                JsonNode value = client.get(field);
                if (value != null && value.isTextual() && value.asText().length() > 3) {
                    forbidden.add(value.asText());
                }
            }
        }
        String everything = events.stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
                .collect(Collectors.joining("\n"));
        assertThat(events).hasSizeGreaterThan(10);
        for (String secret : forbidden) {
            assertThat(everything).as("logs contain " + secret).doesNotContain(secret);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static double sum(Map<String, Metrics.MetricFamily> families, String name, Map<String, String> labels) {
        Metrics.MetricFamily family = families.get(name);
        assertThat(family).as(name + " in the scrape").isNotNull();
        return family.getMetricList().stream().filter(m -> matches(m, labels)).mapToDouble(m -> switch (family
                .getType()) {
            case COUNTER -> m.getCounter().getValue();
            case GAUGE -> m.getGauge().getValue();
            default -> throw new IllegalArgumentException(name + " is a " + family.getType());
        }).sum();
    }

    private static long histogramCount(Map<String, Metrics.MetricFamily> families, String name,
            Map<String, String> labels) {
        Metrics.MetricFamily family = families.get(name);
        assertThat(family).as(name + " in the scrape").isNotNull();
        return family.getMetricList().stream().filter(m -> matches(m, labels))
                .mapToLong(m -> m.getHistogram().getSampleCount()).sum();
    }

    private static boolean matches(Metrics.Metric metric, Map<String, String> labels) {
        Map<String, String> have = new HashMap<>();
        metric.getLabelList().forEach(l -> have.put(l.getName(), l.getValue()));
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        Instant until = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(until)) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static String hub(String path) {
        return "http://localhost:" + APP.getLocalPort() + path;
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static HttpResponse<String> get(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(hub(path))).GET());
    }

    private static HttpResponse<String> post(String path, Object body) {
        return send("POST", path, body);
    }

    private static HttpResponse<String> send(String method, String path, Object body) {
        try {
            return exchange(HttpRequest.newBuilder(URI.create(hub(path))).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
