package io.bookinghub.hub.bookings;

import static io.bookinghub.hub.testing.HubApi.json;
import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two-way booking end to end: the real Booksy plugin zip in the hub, on a real PostgreSQL, against the Booksy
 * sandbox, which counts what it committed. Each test books on a day of its own, far beyond the sandbox's seeded
 * appointments.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TwoWayBookingTest {
    private static final String API_KEY = "two-way-booking-test-key";
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private static final BooksySandbox SANDBOX = BooksySandbox.builder().apiKey(API_KEY).build().start();
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB,
            BuiltPlugins.copy("booksy-connector", "csv-import-connector"), HubTestApp.varDirectory(),
            HubTestApp.environment(), ConfigOverride.config("sync.schedulerEnabled", "false"),
            ConfigOverride.config("bookings.initialBackoff", "PT0.2S"),
            ConfigOverride.config("bookings.pollInterval", "PT0.05S"),
            ConfigOverride.config("bookings.requestWait", "PT20S"));
    private static final HubApi API = new HubApi(APP);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger DAYS = new AtomicInteger(70);

    private static UUID business;
    private static String writer;
    private static String service;

    @BeforeAll
    static void connect() {
        business = API.createBusiness("Two-way Studio");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiBaseUrl", SANDBOX.baseUrl());
        settings.put("authMode", "api-key");
        settings.put("rateLimitPerSecond", "1000");
        settings.put("rateLimitBurst", "1000");
        // A slow answer must run into the timeout (the sandbox commits first, then waits).
        settings.put("requestTimeout", "PT1S");
        json(API.call("/admin/connectors/booksy/settings", ADMIN_TOKEN).put(Entity.json(Map.of("settings",
                settings))), 200);
        json(API.call("/admin/businesses/" + business + "/connections/booksy", ADMIN_TOKEN).put(Entity.json(Map.of(
                "config", Map.of("apiKey", API_KEY, "businessId", BooksySandbox.BUSINESS_ID, "availabilityDays",
                        "2")))), 200);
        writer = API.appKey(List.of(business), List.of("read", "write"));
        service = SANDBOX.serviceIds().get(0);
    }

    @AfterAll
    static void stopSandbox() {
        SANDBOX.close();
    }

    /** 10:00 in Warsaw on a Tuesday of its own, far beyond the seeded appointments. */
    private static String freshSlot() {
        LocalDate day = LocalDate.now(WARSAW).plusDays(DAYS.getAndAdd(7)).with(TemporalAdjusters.nextOrSame(
                DayOfWeek.TUESDAY));
        return OffsetDateTime.of(day.atTime(10, 0), WARSAW.getRules().getOffset(day.atTime(10, 0))).toString();
    }

    private static Map<String, Object> booking(String start, String staff, String phone) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("staff", staff);
        body.put("start", start);
        body.put("client", Map.of("name", "Ola Nowak", "phone", phone));
        body.put("notes", "first visit");
        return body;
    }

    private static Response post(String path, String key, Object body) {
        return API.call(path, writer).header("Idempotency-Key", key).post(Entity.json(body));
    }

    private static String appointments() {
        return "/v1/businesses/" + business + "/appointments";
    }

    private static JsonNode command(String key) {
        JsonNode page = json(API.call("/admin/businesses/" + business + "/commands?limit=500", ADMIN_TOKEN).get(), 200);
        for (JsonNode c : page.get("items")) {
            if (c.get("idempotencyKey").asText().equals(key)) {
                return c;
            }
        }
        throw new AssertionError("no command with key " + key + " in " + page);
    }

    private static List<String> states(JsonNode command) {
        List<String> states = new ArrayList<>();
        command.get("transitions").forEach(t -> states.add(t.get("state").asText()));
        return states;
    }

    @Test
    void bookingReturnsTheStoredAppointmentAndARetryReturnsTheFirstAnswer() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = booking(freshSlot(), "any", "+48 600 100 200");
        long before = SANDBOX.writesCommitted();

        Response first = post(appointments(), key, body);
        String firstBody = first.readEntity(String.class);
        assertThat(first.getStatus()).as(firstBody).isEqualTo(201);
        Response again = post(appointments(), key, body);
        assertThat(again.getStatus()).isEqualTo(201);
        assertThat(again.readEntity(String.class)).as("the first answer, again").isEqualTo(firstBody);
        assertThat(SANDBOX.writesCommitted() - before).as("one booking at the provider").isEqualTo(1);

        JsonNode appointment = parse(firstBody);
        String externalId = appointment.get("externalId").asText();
        JsonNode atProvider = SANDBOX.appointment(externalId).orElseThrow();
        assertThat(atProvider.get("status").asText()).isEqualTo("booked");
        assertThat(atProvider.get("client_note").asText()).isEqualTo("first visit");
        assertThat(atProvider.get("external_reference").asText()).startsWith("hubref-");
        assertThat(appointment.get("status").asText()).isEqualTo("BOOKED");
        assertThat(appointment.get("start").asText()).isEqualTo(OffsetDateTime.parse((String) body.get("start"))
                .toInstant().toString());
        // In the shared model, where the admin API reads it.
        JsonNode stored = json(API.call("/admin/businesses/" + business + "/appointments/"
                + appointment.get("id").asText(), ADMIN_TOKEN).get(), 200);
        assertThat(stored.get("externalId").asText()).isEqualTo(externalId);
        assertThat(states(command(key))).containsExactly("PENDING", "SENT", "CONFIRMED");

        Map<String, Object> other = new LinkedHashMap<>(body);
        other.put("notes", "changed my mind");
        JsonNode reused = json(post(appointments(), key, other), 422);
        assertThat(reused.get("message").asText()).contains("Idempotency-Key");
        assertThat(SANDBOX.writesCommitted() - before).isEqualTo(1);
    }

    @Test
    void anAnswerLostAfterTheProviderCommittedIsReconciledNotResent() {
        String key = UUID.randomUUID().toString();
        long before = SANDBOX.writesCommitted();
        SANDBOX.loseNextWriteAnswers(1);

        Response r = post(appointments(), key, booking(freshSlot(), "any", "+48 600 100 201"));
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as(body).isEqualTo(201);
        assertThat(SANDBOX.writesCommitted() - before).as("one booking at the provider").isEqualTo(1);
        JsonNode command = command(key);
        assertThat(command.get("state").asText()).isEqualTo("RECONCILED");
        assertThat(states(command)).containsExactly("PENDING", "SENT", "UNKNOWN", "RECONCILED");
        assertThat(SANDBOX.appointmentByReference("hubref-" + command.get("id").asText()).orElseThrow().get("id")
                .asText()).isEqualTo(parse(body).get("externalId").asText());
    }

    @Test
    void aFailureBeforeTheProviderCommittedIsLookedUpThenSentAgainOnce() {
        String key = UUID.randomUUID().toString();
        long before = SANDBOX.writesCommitted();
        SANDBOX.failNextWrites(1, 503);

        JsonNode created = json(post(appointments(), key, booking(freshSlot(), "any", "+48 600 100 202")), 201);
        assertThat(SANDBOX.writesCommitted() - before).isEqualTo(1);
        assertThat(SANDBOX.appointmentByReference("hubref-" + command(key).get("id").asText()).orElseThrow()
                .get("id").asText()).isEqualTo(created.get("externalId").asText());
        assertThat(states(command(key))).containsExactly("PENDING", "SENT", "UNKNOWN", "SENT", "CONFIRMED");
    }

    @Test
    void aSlowAnswerPastTheTimeoutIsReconciled() {
        String key = UUID.randomUUID().toString();
        long before = SANDBOX.writesCommitted();
        SANDBOX.slowNextWriteAnswers(1, Duration.ofSeconds(3));

        json(post(appointments(), key, booking(freshSlot(), "any", "+48 600 100 203")), 201);
        assertThat(SANDBOX.writesCommitted() - before).isEqualTo(1);
        assertThat(states(command(key))).containsExactly("PENDING", "SENT", "UNKNOWN", "RECONCILED");
    }

    @Test
    void twentyConcurrentIdenticalRequestsBookOnceAndGetOneAnswer() throws Exception {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = booking(freshSlot(), "any", "+48 600 100 204");
        long before = SANDBOX.writesCommitted();
        List<String> answers = race(20, i -> post(appointments(), key, body));

        assertThat(new HashSet<>(answers)).as("20 identical answers").hasSize(1);
        assertThat(answers.get(0)).startsWith("201 ");
        assertThat(SANDBOX.writesCommitted() - before).as("one provider booking").isEqualTo(1);
    }

    @Test
    void concurrentDifferentRequestsForOneSlotBookItOnce() throws Exception {
        String start = freshSlot();
        // Learn a staff member who performs the service, then race for one of their slots.
        JsonNode first = json(post(appointments(), UUID.randomUUID().toString(), booking(start, "any",
                "+48 600 100 205")), 201);
        String staff = first.get("segments").get(0).get("staffExternalId").asText();
        String slot = OffsetDateTime.parse(start).plusHours(3).toString();
        long before = SANDBOX.writesCommitted();

        List<String> answers = race(6, i -> post(appointments(), UUID.randomUUID().toString(),
                booking(slot, staff, "+48 600 200 30" + i)));

        assertThat(answers).filteredOn(a -> a.startsWith("201 ")).hasSize(1);
        assertThat(answers).filteredOn(a -> a.startsWith("409 ")).hasSize(5)
                .allSatisfy(a -> assertThat(a).contains("SLOT_UNAVAILABLE").contains("alternatives"));
        assertThat(SANDBOX.writesCommitted() - before).as("exactly one booking").isEqualTo(1);
        JsonNode refused = parse(answers.stream().filter(a -> a.startsWith("409 ")).findFirst().orElseThrow()
                .substring(4));
        assertThat(refused.get("code").asInt()).isEqualTo(409);
        assertThat(refused.get("error").asText()).isEqualTo("SLOT_UNAVAILABLE");
        assertThat(refused.get("alternatives")).isNotEmpty();
        for (JsonNode alternative : refused.get("alternatives")) {
            assertThat(alternative.get("staffExternalId").asText()).isEqualTo(staff);
            assertThat(alternative.get("start").asText()).isNotEqualTo(OffsetDateTime.parse(slot).toInstant()
                    .toString());
        }
    }

    @Test
    void rescheduleAndCancelCheckTheProviderVersion() {
        JsonNode booked = json(post(appointments(), UUID.randomUUID().toString(), booking(freshSlot(), "any",
                "+48 600 100 206")), 201);
        String id = booked.get("id").asText();
        long version = booked.get("providerVersion").asLong();
        String later = OffsetDateTime.parse(booked.get("start").asText()).plusHours(2).toString();

        JsonNode stale = json(API.call(appointments() + "/" + id + "/reschedule", writer)
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("If-Match", "\"" + (version + 5) + "\"")
                .post(Entity.json(Map.of("start", later))), 412);
        assertThat(stale.get("error").asText()).isEqualTo("VERSION_MISMATCH");

        JsonNode moved = json(API.call(appointments() + "/" + id + "/reschedule", writer)
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("If-Match", "\"" + version + "\"")
                .post(Entity.json(Map.of("start", later))), 200);
        assertThat(moved.get("start").asText()).isEqualTo(OffsetDateTime.parse(later).toInstant().toString());
        assertThat(moved.get("providerVersion").asLong()).isEqualTo(version + 1);

        JsonNode cancelled = json(API.call(appointments() + "/" + id + "/cancel", writer)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("If-Match", "\"" + moved.get("providerVersion").asLong() + "\"")
                .post(Entity.json(Map.of("reason", "flu", "by", "client"))), 200);
        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED_BY_CLIENT");
        assertThat(SANDBOX.appointment(booked.get("externalId").asText()).orElseThrow().get("status").asText())
                .isEqualTo("cancelled");
    }

    @Test
    void writesNeedTheWriteScopeAKeyAndAConnectorThatCanBook() {
        String reader = API.appKey(List.of(business), List.of("read"));
        JsonNode forbidden = json(API.call(appointments(), reader).header("Idempotency-Key", "k-1")
                .post(Entity.json(booking(freshSlot(), "any", "+48 600 100 207"))), 403);
        assertThat(forbidden.get("message").asText()).contains("write");
        JsonNode noKey = json(API.call(appointments(), writer).post(Entity.json(booking(freshSlot(), "any",
                "+48 600 100 207"))), 400);
        assertThat(noKey.get("fields").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        JsonNode noClient = json(post(appointments(), "k-2", Map.of("service", service, "start", freshSlot())), 422);
        assertThat(noClient.toString()).contains("client");

        UUID importing = API.createBusiness("CSV only");
        json(API.call("/admin/businesses/" + importing + "/connections/csv-import", ADMIN_TOKEN).put(Entity.json(
                Map.of("config", Map.of()))), 200);
        JsonNode unsupported = json(API.call("/v1/businesses/" + importing + "/appointments", ADMIN_TOKEN)
                .header("Idempotency-Key", "k-3").post(Entity.json(booking(freshSlot(), "any", "+48 600 100 208"))),
                409);
        assertThat(unsupported.get("error").asText()).isEqualTo("UNSUPPORTED");
        assertThat(unsupported.get("message").asText()).contains("csv-import").contains("WRITE_BACK");
    }

    @Test
    void availabilityFromTheSyncedModelAndLive() {
        json(API.call("/admin/businesses/" + business + "/connections/booksy/sync?wait=true", ADMIN_TOKEN)
                .post(Entity.json(Map.of("mode", "FULL"))), 200);
        String from = OffsetDateTime.now(WARSAW).toString();
        String to = OffsetDateTime.now(WARSAW).plusDays(2).toString();
        JsonNode synced = json(API.call("/v1/businesses/" + business + "/availability?service=" + service + "&from="
                + enc(from) + "&to=" + enc(to) + "&limit=500", writer).get(), 200);
        assertThat(synced.get("items")).allSatisfy(s -> assertThat(s.get("serviceExternalId").asText())
                .isEqualTo(service));
        JsonNode live = json(API.call("/v1/businesses/" + business + "/availability?live=true&service=" + service
                + "&from=" + enc(from) + "&to=" + enc(to) + "&limit=500", writer).get(), 200);
        assertThat(live.get("items")).isNotEmpty().allSatisfy(s -> assertThat(s.get("serviceExternalId").asText())
                .isEqualTo(service));
        assertThat(synced.get("items").size()).isEqualTo(live.get("items").size());
        json(API.call("/v1/businesses/" + business + "/availability?live=true", writer).get(), 400);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Call {
        Response send(int i);
    }

    /** Sends {@code n} requests at once; each answer as "status body". */
    private static List<String> race(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    Response r = call.send(index);
                    return r.getStatus() + " " + r.readEntity(String.class);
                }));
            }
            go.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<String> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
