package io.bookinghub.hub.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bookinghub.hubtesting.HubProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hub with its default fairness settings and two tenants. Tenant A floods signed webhooks whose
 * applies each read from a tarpit (every read of A's appointments takes a minute); tenant B sends a few a
 * second. B's events must still be applied within a bound, and A must get 429s rather than fill the inbox
 * unchecked. B's apply delays (received to DONE, as the hub stored them) are printed, quiet and under the flood.
 */
class HostileTenantTest {
    private static final String BUSINESS_A = "b-hostile";
    private static final String BUSINESS_B = "b-quiet";
    private static final Duration TARPIT = Duration.ofSeconds(60);
    private static final int B_EVENTS = 30;
    /** B's worst apply delay allowed under A's flood; quiet, it is a few tens of milliseconds. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path root;

    private final Started launched = new Started();

    @Test
    void aFloodingTenantWithATarpitProviderDoesNotStallAnother() throws Exception {
        RestartablePostgres pg = RestartablePostgres.start(root.resolve("pgdata"));
        launched.add(pg);
        WireMockServer booksy = FaultKit.booksyApi();
        launched.add(booksy::stop);
        // Defaults for everything fairness is made of: the test is of the shipped settings.
        HubProcess hub = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub", 2, "5m", 10),
                pg.jdbcUrl(), root.resolve("encryption.key"), Map.of()));
        FaultKit.connectBusiness(hub, booksy, BUSINESS_A);
        FaultKit.connectBusiness(hub, booksy, BUSINESS_B);
        for (int i = 0; i < 2 * B_EVENTS; i++) {
            FaultKit.stubAppointment(booksy, "b-appt-" + i, 1, Duration.ZERO, BUSINESS_B);
        }
        // Every read of A's appointments waits a minute (no stub per id needed: one pattern).
        booksy.stubFor(get(urlPathMatching("/api/v1/appointments/a-appt-.*"))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withFixedDelay((int) TARPIT.toMillis())
                        .withBody(FaultKit.JSON.writeValueAsString(FaultKit.appointment("a-appt", 1)
                                .put("business_id", BUSINESS_A)))));

        List<Double> quiet = sendB(hub, pg, 0);

        AtomicBoolean flooding = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> floodAnswers = new ConcurrentHashMap<>();
        AtomicInteger floodSent = new AtomicInteger();
        Set<String> retryAfter = ConcurrentHashMap.newKeySet();
        ExecutorService flood = Executors.newFixedThreadPool(3);
        for (int t = 0; t < 3; t++) {
            flood.execute(() -> {
                while (flooding.get()) {
                    int n = floodSent.incrementAndGet();
                    String eventId = "evt-flood-" + n;
                    try {
                        HttpResponse<Void> answer = FaultKit.send(hub, eventId, FaultKit.idOnlyEvent(eventId,
                                "a-appt-" + n, BUSINESS_A));
                        floodAnswers.computeIfAbsent(answer.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (answer.statusCode() == 429) {
                            retryAfter.add(answer.headers().firstValue("Retry-After").orElse("none"));
                        }
                    } catch (Exception e) {
                        floodAnswers.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            });
        }
        List<Double> underFlood;
        try {
            // Let A's burst fill the inbox and its tarpit reads start before B sends.
            Thread.sleep(3000);
            underFlood = sendB(hub, pg, B_EVENTS);
        } finally {
            flooding.set(false);
            flood.shutdown();
            flood.awaitTermination(30, TimeUnit.SECONDS);
        }

        System.out.printf("hostile tenant: A sent %d (answers %s); B apply delay p50/p99/max quiet %s, under A's "
                + "flood %s (seconds)%n", floodSent.get(), floodAnswers, summary(quiet), summary(underFlood));
        assertThat(floodAnswers.keySet()).as("A's answers").containsOnly(200, 429);
        assertThat(floodAnswers.get(429)).as("A is throttled").isNotNull();
        // At 50/s the next token is at most 20 ms away: rounded up to whole seconds.
        assertThat(retryAfter).as("Retry-After of A's 429s").containsExactly("1");
        assertThat(underFlood).as("B's apply delays under A's flood (s)").allSatisfy(d ->
                assertThat(d).isLessThan(BOUND.toMillis() / 1000.0));
        launched.passed();
    }

    /** Sends B's events from {@code from}, five a second, waits until all are DONE; returns their delays in seconds. */
    private static List<Double> sendB(HubProcess hub, RestartablePostgres pg, int from) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + B_EVENTS; i++) {
            String eventId = "evt-b-" + i;
            ids.add(eventId);
            assertThat(FaultKit.post(hub, eventId, FaultKit.idOnlyEvent(eventId, "b-appt-" + i, BUSINESS_B)))
                    .as(eventId).isEqualTo(200);
            Thread.sleep(200);
        }
        return FaultKit.await("B's events DONE", () -> {
            List<Double> delays = delays(pg, ids);
            return delays.size() == ids.size() ? Optional.of(delays) : Optional.empty();
        }, hub::logTail);
    }

    private static List<Double> delays(RestartablePostgres pg, List<String> eventIds) {
        try (Connection c = pg.connect();
                PreparedStatement s = c.prepareStatement("SELECT extract(epoch FROM processed_at - received_at) "
                        + "FROM webhook_inbox WHERE status = 'DONE' AND event_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            List<Double> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String summary(List<Double> delays) {
        List<Double> sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%.3f/%.3f/%.3f", percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
