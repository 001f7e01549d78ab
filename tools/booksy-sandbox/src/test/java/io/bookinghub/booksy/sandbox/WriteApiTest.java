package io.bookinghub.booksy.sandbox;

import static io.bookinghub.booksy.sandbox.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write API: double-booking detection, idempotency keys, versions, and the faults exactly-once is tested with. */
class WriteApiTest {
    private static final String APPOINTMENTS = "/api/v1/appointments";
    /** A Tuesday far beyond the seeded appointments, 10:00 in Warsaw (UTC+1 in winter). */
    private static final String TEN = "2027-02-02T10:00:00+01:00";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    private BooksySandbox sandbox;
    private TestHttp http;
    private String token;
    private String staff;
    private String service;

    @BeforeEach
    void start() {
        sandbox = TestHttp.baseBuilder(clock).accessTokenTtl(Duration.ofDays(1)).build().start();
        http = new TestHttp(sandbox);
        token = sandbox.issueTokens().accessToken();
        service = sandbox.serviceIds().get(0);
        JsonNode booked = json(book("k-learn", null, "2027-02-03T10:00:00+01:00", "ref-learn"));
        staff = booked.get("segments").get(0).get("staff_id").asText();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private HttpResponse<String> book(String key, String staffId, String start, String reference) {
        String body = "{\"service_id\":\"" + service + "\"," + (staffId == null ? "" : "\"staff_id\":\"" + staffId
                + "\",") + "\"start\":\"" + start + "\",\"client\":{\"first_name\":\"Ola\",\"email\":\"ola@x.pl\"},"
                + "\"external_reference\":\"" + reference + "\"}";
        return http.write("POST", APPOINTMENTS, token, body, "Idempotency-Key", key);
    }

    @Test
    void aTakenSlotIsRefusedAndAKeyAnswersItsFirstAnswerAgain() {
        long before = sandbox.writesCommitted();
        HttpResponse<String> first = book("k-1", staff, TEN, "ref-1");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(json(first).get("version").asInt()).isEqualTo(1);
        assertThat(json(first).get("external_reference").asText()).isEqualTo("ref-1");

        HttpResponse<String> again = book("k-1", staff, TEN, "ref-1");
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(book("k-1", staff, TEN, "ref-other").statusCode()).as("same key, other request").isEqualTo(422);

        HttpResponse<String> taken = book("k-2", staff, "2027-02-02T10:15:00+01:00", "ref-2");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(json(taken).get("error").get("code").asText()).isEqualTo("slot_unavailable");
        assertThat(book("k-3", staff, "2027-02-02T21:00:00+01:00", "ref-3").statusCode()).as("after closing")
                .isEqualTo(409);
        assertThat(sandbox.writesCommitted() - before).isEqualTo(1);

        JsonNode found = json(http.get(APPOINTMENTS + "?external_reference=ref-1", token)).get("data");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("id").asText()).isEqualTo(json(first).get("id").asText());
        assertThat(json(http.get(APPOINTMENTS + "?external_reference=ref-none", token)).get("data")).isEmpty();
    }

    @Test
    void movesAndCancellationsCheckTheVersion() {
        String id = json(book("k-1", staff, TEN, "ref-1")).get("id").asText();
        String move = "{\"start\":\"2027-02-02T12:00:00+01:00\"}";
        HttpResponse<String> stale = http.write("PATCH", APPOINTMENTS + "/" + id, token, move, "If-Match", "\"7\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        HttpResponse<String> moved = http.write("PATCH", APPOINTMENTS + "/" + id, token, move, "If-Match", "\"1\"");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved).get("version").asInt()).isEqualTo(2);
        assertThat(json(moved).get("segments").get(0).get("start").asText()).isEqualTo("2027-02-02T12:00:00+01:00");

        String cancel = "{\"reason\":\"flu\",\"cancelled_by\":\"client\"}";
        HttpResponse<String> cancelled = http.write("POST", APPOINTMENTS + "/" + id + "/cancel", token, cancel,
                "If-Match", "2");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled).get("status").asText()).isEqualTo("cancelled");
        assertThat(json(cancelled).get("cancellation").get("cancelled_by").asText()).isEqualTo("client");
        assertThat(http.write("POST", APPOINTMENTS + "/" + id + "/cancel", token, cancel).statusCode())
                .as("already cancelled").isEqualTo(409);
        assertThat(book("k-2", staff, TEN, "ref-2").statusCode()).as("the slot is free again").isEqualTo(201);
    }

    @Test
    void injectedWriteFaults() {
        long before = sandbox.writesCommitted();
        sandbox.failNextWrites(1, 503);
        assertThat(http.get(APPOINTMENTS + "?external_reference=ref-1", token).statusCode())
                .as("reads pass a write fault").isEqualTo(200);
        assertThat(book("k-1", staff, TEN, "ref-1").statusCode()).isEqualTo(503);
        assertThat(sandbox.writesCommitted()).as("failed before the commit").isEqualTo(before);

        sandbox.loseNextWriteAnswers(1);
        assertThatThrownBy(() -> book("k-2", staff, TEN, "ref-2")).isInstanceOf(UncheckedIOException.class);
        assertThat(sandbox.writesCommitted()).as("committed, answer lost").isEqualTo(before + 1);
        assertThat(sandbox.appointmentByReference("ref-2")).isPresent();

        sandbox.slowNextWriteAnswers(1, Duration.ofMillis(300));
        long started = System.nanoTime();
        assertThat(book("k-3", staff, "2027-02-02T14:00:00+01:00", "ref-3").statusCode()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(sandbox.pendingFaults()).isZero();
    }
}
