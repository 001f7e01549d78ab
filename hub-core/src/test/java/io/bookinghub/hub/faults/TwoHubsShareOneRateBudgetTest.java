package io.bookinghub.hub.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.bookinghub.hub.faults.FaultKit.await;
import static io.bookinghub.hub.faults.FaultKit.inboxUnchecked;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.bookinghub.hubtesting.HubProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub processes on one database apply webhook events for one Booksy business, each applying reads the
 * appointment from Booksy: the timestamps of the requests arriving at the Booksy stand-in show that together the
 * two processes never exceed the operator's rate and burst (one budget in PostgreSQL, not one per process).
 */
class TwoHubsShareOneRateBudgetTest {
    private static final int EVENTS = 36;
    private static final int RATE = 4;
    private static final int BURST = 4;
    /**
     * Slack for a request's trip from the hub's reservation to WireMock's log (thread scheduling on two busy
     * cores); it allows one request more per window, where two processes with a budget each would send twice
     * the rate.
     */
    private static final double TRANSIT_SECONDS = 0.25;

    @TempDir
    Path root;

    private final Started launched = new Started();

    @Test
    void requestsOfBothProcessesTogetherStayWithinTheRateAndTheBurst() throws Exception {
        RestartablePostgres pg = RestartablePostgres.start(root.resolve("pgdata"));
        launched.add(pg);
        WireMockServer booksy = FaultKit.booksyApi();
        launched.add(booksy::stop);
        Path keyFile = root.resolve("encryption.key");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add("a-budget-" + i);
            FaultKit.stubAppointment(booksy, ids.get(i), 2, Duration.ofMillis(10));
        }
        HubProcess one = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-1", 2, "60s", 1),
                pg.jdbcUrl(), keyFile));
        FaultKit.noteWhichRoleAppliesEvents(pg, "hub_two");
        // Configured before hub-2 starts, so hub-2 reads the operator's settings at start rather than racing
        // their propagation from hub-1 (which this test is not about).
        FaultKit.connectBusiness(one, booksy, Integer.toString(RATE), Integer.toString(BURST));
        HubProcess two = launched.hub(FaultKit.startHub(root,
                new FaultKit.HubSettings("hub-2", 2, "60s", 1, "hub_two"), pg.jdbcUrl(), keyFile));

        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                HubProcess target = i % 2 == 0 ? one : two;
                String eventId = "evt-budget-" + i;
                String appointment = ids.get(i);
                answers.add(senders.submit(() -> FaultKit.post(target, eventId,
                        FaultKit.idOnlyEvent(eventId, appointment))));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).as(() -> "webhook answers; refusals: " + refusals(pg)).isEqualTo(200);
            }
        } finally {
            senders.shutdownNow();
        }
        await("every event DONE", () -> Optional.of(inboxUnchecked(pg)).filter(rows -> rows.size() == EVENTS
                && rows.values().stream().allMatch(s -> s.status().equals("DONE"))),
                () -> inboxUnchecked(pg) + "\n" + one.logTail() + "\n" + two.logTail());

        Map<String, List<String>> doneBy = FaultKit.doneBy(pg);
        assertThat(doneBy.values().stream().map(by -> by.get(0)).distinct())
                .as("both processes called Booksy").containsExactlyInAnyOrder("postgres", "hub_two");
        // Every request to Booksy (the account check and the record reads) draws from the business's budget.
        List<Long> arrivals = booksy.findAll(getRequestedFor(urlPathMatching("/api/v1/.*"))).stream()
                .map(LoggedRequest::getLoggedDate).map(date -> date.getTime()).sorted().toList();
        assertThat(arrivals).hasSizeGreaterThan(EVENTS);
        for (int i = 0; i < arrivals.size(); i++) {
            for (int j = i; j < arrivals.size(); j++) {
                double seconds = (arrivals.get(j) - arrivals.get(i)) / 1000.0;
                int requests = j - i + 1;
                assertThat((double) requests).as("requests %d..%d within %.3f s", i, j, seconds)
                        .isLessThanOrEqualTo(BURST + RATE * (seconds + TRANSIT_SECONDS));
            }
        }
        double span = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1000.0;
        System.out.printf("two hubs, one budget of %d/s burst %d: %d requests over %.1f s%n", RATE, BURST,
                arrivals.size(), span);
        launched.passed();
    }

    private static String refusals(RestartablePostgres pg) {
        try (Connection c = pg.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT outcome, reason FROM webhook_log WHERE outcome <> 'ACCEPTED'")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString(1)).append(": ").append(rs.getString(2)).append('\n');
            }
            return out.toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        launched.close();
    }
}
