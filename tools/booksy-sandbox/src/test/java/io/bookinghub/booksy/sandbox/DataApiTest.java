package io.bookinghub.booksy.sandbox;

import static io.bookinghub.booksy.sandbox.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataApiTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private BooksySandbox sandbox;
    private TestHttp http;
    private String token;

    @BeforeEach
    void start() {
        sandbox = TestHttp.baseBuilder(clock).accessTokenTtl(Duration.ofDays(30)).build().start();
        http = new TestHttp(sandbox);
        token = sandbox.issueTokens().accessToken();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private List<JsonNode> all(String resource, int perPage) {
        return http.readAll("/api/v1/" + resource + "?business_id=b-1001", token, perPage);
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(n -> n.get("id").asText()).collect(Collectors.toList());
    }

    @Test
    void paginationCoversEveryAppointmentExactlyOnceInUpdatedAtThenIdOrder() {
        HttpResponse<String> first = http.get("/api/v1/appointments?business_id=b-1001&page=1&per_page=7", token);
        JsonNode pagination = json(first).get("pagination");
        assertThat(pagination.get("page").asInt()).isEqualTo(1);
        assertThat(pagination.get("per_page").asInt()).isEqualTo(7);
        assertThat(pagination.get("total_count").asInt()).isEqualTo(200);
        assertThat(pagination.get("total_pages").asInt()).isEqualTo(29);

        List<JsonNode> items = all("appointments", 7);

        List<String> ids = ids(items);
        assertThat(ids).hasSize(200).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<>(sandbox.appointmentIds()));
        for (int i = 1; i < items.size(); i++) {
            Instant prev = Instant.parse(items.get(i - 1).get("updated_at").asText());
            Instant cur = Instant.parse(items.get(i).get("updated_at").asText());
            assertThat(prev).isBeforeOrEqualTo(cur);
            if (prev.equals(cur)) {
                assertThat(num(ids.get(i - 1))).isLessThan(num(ids.get(i)));
            }
        }
    }

    @Test
    void pageBeyondTheEndIsEmptyAndPerPageIsClampedTo500() {
        JsonNode beyond = json(http.get("/api/v1/clients?page=9&per_page=50", token));
        assertThat(beyond.get("data")).isEmpty();
        assertThat(beyond.get("pagination").get("total_count").asInt()).isEqualTo(60);
        assertThat(beyond.get("pagination").get("total_pages").asInt()).isEqualTo(2);

        JsonNode clamped = json(http.get("/api/v1/appointments?per_page=5000", token));
        assertThat(clamped.get("pagination").get("per_page").asInt()).isEqualTo(500);
        assertThat(clamped.get("data")).hasSize(200);

        assertThat(json(http.get("/api/v1/appointments", token)).get("data")).hasSize(100);
        assertThat(http.get("/api/v1/appointments?page=0", token).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v1/appointments?per_page=x", token).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v1/appointments?updated_since=yesterday", token).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v1/nothing", token).statusCode()).isEqualTo(404);
        assertThat(json(http.get("/api/v1/appointments?business_id=b-9", token)).get("data")).isEmpty();
    }

    @Test
    void businessHasTwoLocationsInDifferentZones() {
        JsonNode business = all("businesses", 100).get(0);

        assertThat(business.get("id").asText()).isEqualTo("b-1001");
        assertThat(business.get("name").asText()).isEqualTo("Studio Anna");
        assertThat(business.get("timezone").asText()).isEqualTo("Europe/Warsaw");
        assertThat(business.get("currency").asText()).isEqualTo("PLN");
        List<String> zones = new ArrayList<>();
        business.get("locations").forEach(l -> zones.add(l.get("timezone").asText()));
        assertThat(zones).containsExactly("Europe/Warsaw", "Europe/London");
    }

    @Test
    void seededCatalogueHasTheDocumentedShape() {
        List<JsonNode> staff = all("staff", 100);
        assertThat(staff).hasSizeGreaterThanOrEqualTo(5);
        assertThat(staff).allSatisfy(s -> assertThat(s.get("updated_at").asText()).isNotBlank());
        assertThat(staff.stream().map(s -> s.get("location_id").asText()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("l-1", "l-2");
        assertThat(all("staff?location_id=l-2", 100))
                .allSatisfy(s -> assertThat(s.get("location_id").asText()).isEqualTo("l-2"))
                .hasSizeLessThan(staff.size());

        List<JsonNode> services = all("services", 100);
        assertThat(services).hasSizeGreaterThanOrEqualTo(8);
        assertThat(services).allSatisfy(s -> {
            assertThat(s.get("variants").size()).isBetween(1, 3);
            JsonNode v = s.get("variants").get(0);
            assertThat(v.get("duration_minutes").asInt()).isPositive();
            assertThat(v.get("price").get("amount").asText()).matches("\\d+\\.\\d\\d");
            assertThat(v.get("price").get("currency").asText()).isEqualTo("PLN");
        });

        assertThat(all("clients", 100)).hasSize(60)
                .allSatisfy(c -> assertThat(c.get("first_name").asText()).isNotBlank());
    }

    @Test
    void appointmentsIncludeEveryInterestingCase() {
        List<JsonNode> appts = all("appointments", 500);
        Map<String, JsonNode> byId = new HashMap<>();
        appts.forEach(a -> byId.put(a.get("id").asText(), a));

        assertThat(appts).anySatisfy(a -> assertThat(a.get("segments").size()).isGreaterThan(1));
        assertThat(appts.stream().filter(a -> a.get("status").asText().equals("no_show")).count())
                .isGreaterThanOrEqualTo(2);
        assertThat(appts).anySatisfy(a ->
                assertThat(a.get("cancellation").path("cancelled_by").asText()).isEqualTo("client"));
        assertThat(appts).anySatisfy(a ->
                assertThat(a.get("cancellation").path("cancelled_by").asText()).isEqualTo("business"));
        JsonNode rescheduled = appts.stream().filter(a -> !a.get("rescheduled_from").isNull()).findFirst()
                .orElseThrow();
        JsonNode original = byId.get(rescheduled.get("rescheduled_from").asText());
        assertThat(original.get("status").asText()).isEqualTo("cancelled");
        assertThat(appts.stream().map(a -> a.get("location_id").asText()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("l-1", "l-2");

        for (JsonNode a : appts) {
            assertThat(a.get("version").asInt()).isPositive();
            assertThat(Instant.parse(a.get("updated_at").asText())).isBeforeOrEqualTo(NOW);
            OffsetDateTime start = OffsetDateTime.parse(a.get("segments").get(0).get("start").asText());
            assertThat(start.toInstant()).isBetween(NOW.minus(Duration.ofDays(32)), NOW.plus(Duration.ofDays(32)));
            // Offsets must be those of the location's zone at that instant.
            String zone = a.get("timezone").asText();
            assertThat(start.getOffset()).isEqualTo(java.time.ZoneId.of(zone).getRules().getOffset(start.toInstant()));
            JsonNode segs = a.get("segments");
            for (int i = 1; i < segs.size(); i++) {
                assertThat(segs.get(i).get("start").asText()).isEqualTo(segs.get(i - 1).get("end").asText());
            }
        }
    }

    @Test
    void sameSeedAndClockGiveIdenticalDataAndAnotherSeedDoesNot() {
        String mine = http.get("/api/v1/appointments?per_page=500", token).body();
        try (BooksySandbox twin = TestHttp.baseBuilder(new MutableClock(NOW)).build().start();
             BooksySandbox other = TestHttp.baseBuilder(new MutableClock(NOW)).seed(7).build().start()) {
            assertThat(new TestHttp(twin).get("/api/v1/appointments?per_page=500",
                    twin.issueTokens().accessToken()).body()).isEqualTo(mine);
            assertThat(new TestHttp(other).get("/api/v1/appointments?per_page=500",
                    other.issueTokens().accessToken()).body()).isNotEqualTo(mine);
        }
    }

    @Test
    void updatedSinceReturnsOnlyRecordsChangedAtOrAfterTheInstant() {
        clock.advance(Duration.ofMinutes(5));
        Instant mark = clock.instant();
        String cancelled = sandbox.appointmentIds().get(20);
        sandbox.cancelAppointment(cancelled, false, "Staff illness");
        clock.advance(Duration.ofSeconds(1));
        String moved = sandbox.appointmentIds().get(40);
        JsonNode before = sandbox.appointment(moved).orElseThrow();
        sandbox.rescheduleAppointment(moved, Instant.parse("2026-11-25T09:00:00Z"));
        sandbox.updateClient("c-3", "Janina", null, null, null);

        List<JsonNode> changed = http.readAll("/api/v1/appointments?updated_since=" + mark, token, 1);

        assertThat(ids(changed)).containsExactly(cancelled, moved);
        JsonNode movedNow = changed.get(1);
        assertThat(movedNow.get("version").asInt()).isEqualTo(before.get("version").asInt() + 1);
        assertThat(movedNow.get("updated_at").asText()).isEqualTo(clock.instant().toString());
        assertThat(OffsetDateTime.parse(movedNow.get("segments").get(0).get("start").asText()).toInstant())
                .isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
        assertThat(changed.get(0).get("cancellation").get("cancelled_by").asText()).isEqualTo("business");
        assertThat(ids(http.readAll("/api/v1/appointments?updated_since=" + clock.instant(), token, 10)))
                .containsExactly(moved);
        assertThat(ids(http.readAll("/api/v1/clients?updated_since=" + mark, token, 10))).containsExactly("c-3");
        assertThat(ids(http.readAll("/api/v1/clients?updated_since=" + clock.instant().plusMillis(1), token, 10)))
                .isEmpty();
    }

    @Test
    void singleAppointmentIsTheBareRecordAsListedAndFollowsMutations() {
        String id = sandbox.appointmentIds().get(7);
        JsonNode listed = all("appointments", 500).stream().filter(a -> a.get("id").asText().equals(id))
                .findFirst().orElseThrow();

        HttpResponse<String> one = http.get("/api/v1/appointments/" + id, token);

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json(one)).isEqualTo(listed);
        assertThat(json(one).has("data")).as("no list envelope").isFalse();

        clock.advance(Duration.ofMinutes(1));
        sandbox.cancelAppointment(id, true, "Flu");
        JsonNode cancelled = json(http.get("/api/v1/appointments/" + id, token));
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.get("cancellation").get("reason").asText()).isEqualTo("Flu");
        assertThat(cancelled.get("version").asInt()).isEqualTo(listed.get("version").asInt() + 1);
        assertThat(cancelled.get("updated_at").asText()).isEqualTo(clock.instant().toString());
        assertThat(sandbox.requestCount("/api/v1/appointments/" + id)).isEqualTo(2);
    }

    @Test
    void singleAppointmentIsNotFoundForUnknownIdsAndNeedsAToken() {
        for (String missing : List.of("a-999999", "a-0", "c-1", "nonsense", "a-1?business_id=b-9")) {
            HttpResponse<String> r = http.get("/api/v1/appointments/" + missing, token);
            assertThat(r.statusCode()).as(missing).isEqualTo(404);
            assertThat(json(r).get("error").get("code").asText()).as(missing).isEqualTo("not_found");
        }
        assertThat(http.get("/api/v1/appointments/a-1", null).statusCode()).isEqualTo(401);
        assertThat(http.get("/api/v1/appointments/a-1", "wrong-token").statusCode()).isEqualTo(401);
    }

    @Test
    void startingASandboxTurnsOnTcpNoDelayForTheJdkServer() {
        // Set by start() in @BeforeEach; without it every response waits ~40 ms for a delayed ACK.
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    @Test
    void deletedClientsDisappearAndCreatedAppointmentsAppear() {
        sandbox.deleteClient("c-5");
        List<String> clients = ids(all("clients", 100));
        assertThat(clients).hasSize(59).doesNotContain("c-5");

        clock.advance(Duration.ofMinutes(1));
        JsonNode created = sandbox.createAppointment("c-1", "svc-1", "s-1", Instant.parse("2026-11-23T08:00:00Z"));
        assertThat(created.get("id").asText()).isEqualTo("a-201");
        assertThat(created.get("status").asText()).isEqualTo("booked");
        assertThat(created.get("version").asInt()).isEqualTo(1);
        List<String> appts = ids(all("appointments", 100));
        assertThat(appts).hasSize(201).endsWith("a-201");
    }

    @Test
    void availabilityExcludesBookedTimeAndHonoursFilters() {
        // 2026-11-23 is a Monday; 09:00 Warsaw is 08:00Z.
        String query = "/api/v1/availability?business_id=b-1001&date_from=2026-11-23&date_to=2026-11-23&staff_id=s-1";
        List<JsonNode> slots = http.readAll(query, token, 500);
        assertThat(slots).isNotEmpty().allSatisfy(s -> {
            assertThat(s.get("staff_id").asText()).isEqualTo("s-1");
            assertThat(s.get("location_id").asText()).isEqualTo("l-1");
            assertThat(s.get("start").asText()).startsWith("2026-11-23T").endsWith("+01:00");
        });
        JsonNode free = slots.stream().filter(s -> s.get("service_id").asText().equals("svc-1")).findFirst()
                .orElseThrow();
        Instant freeStart = OffsetDateTime.parse(free.get("start").asText()).toInstant();

        sandbox.createAppointment("c-1", "svc-1", "s-1", freeStart);

        List<JsonNode> after = http.readAll(query, token, 500);
        assertThat(after).noneSatisfy(s -> assertThat(OffsetDateTime.parse(s.get("start").asText()).toInstant())
                .isEqualTo(freeStart));
        assertThat(after).hasSizeLessThan(slots.size());
        assertThat(http.readAll("/api/v1/availability?date_from=2026-11-22&date_to=2026-11-22", token, 500))
                .as("Sunday is closed").isEmpty();
        assertThat(http.get("/api/v1/availability?date_from=2026-11-22", token).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v1/availability?date_from=2026-11-22&date_to=2027-03-01", token).statusCode())
                .isEqualTo(400);
    }

    @Test
    void largeModeServesOneHundredThousandAppointmentsExactlyOnce() {
        try (BooksySandbox big = TestHttp.baseBuilder(new MutableClock(NOW)).appointments(100_000).build().start()) {
            TestHttp bigHttp = new TestHttp(big);
            String bigToken = big.issueTokens().accessToken();

            List<JsonNode> items = bigHttp.readAll("/api/v1/appointments", bigToken, 500);

            assertThat(items).hasSize(100_000);
            Set<String> seen = new HashSet<>();
            items.forEach(n -> seen.add(n.get("id").asText()));
            assertThat(seen).hasSize(100_000).contains("a-1", "a-100000");
        }
    }

    private static int num(String id) {
        return Integer.parseInt(id.substring(id.indexOf('-') + 1));
    }
}
