package io.bookinghub.hub.faults;

import static io.bookinghub.hub.faults.FaultKit.await;
import static io.bookinghub.hub.faults.FaultKit.fetchesById;
import static io.bookinghub.hub.faults.FaultKit.inboxUnchecked;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bookinghub.hub.faults.FaultKit.InboxState;
import io.bookinghub.hub.faults.FaultKit.StoredAppointment;
import io.bookinghub.hubtesting.HubProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub processes with workers on one database, events posted to both: the claims (FOR UPDATE SKIP
 * LOCKED) must hand every event to exactly one worker of one process. Each appointment read takes a
 * moment, so the four workers really overlap.
 */
class TwoHubsOneInboxTest {
    private static final int EVENTS = 60;
    private static final Duration READ_TAKES = Duration.ofMillis(40);

    @TempDir
    Path root;

    private final Started launched = new Started();

    @Test
    void everyEventIsAppliedOnceByOneOfTheTwoHubs() throws Exception {
        RestartablePostgres pg = RestartablePostgres.start(root.resolve("pgdata"));
        launched.add(pg);
        WireMockServer booksy = FaultKit.booksyApi();
        launched.add(booksy::stop);
        Path keyFile = root.resolve("encryption.key");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add("a-two-" + i);
            FaultKit.stubAppointment(booksy, ids.get(i), 3, READ_TAKES);
        }
        // One at a time: the first migrates the schema and writes the encryption key the second reads.
        // Small claims, so both processes get a share of a burst.
        HubProcess one = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-1", 2, "60s", 2),
                pg.jdbcUrl(), keyFile));
        // hub-2 connects as its own role, so the test can see that both processes drained the inbox.
        FaultKit.noteWhichRoleAppliesEvents(pg, "hub_two");
        HubProcess two = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-2", 2, "60s", 2, "hub_two"),
                pg.jdbcUrl(), keyFile));
        FaultKit.connectBusiness(one, booksy);
        long started = System.nanoTime();

        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                HubProcess target = i % 2 == 0 ? one : two;
                String eventId = "evt-two-" + i;
                String appointment = ids.get(i);
                answers.add(senders.submit(() -> FaultKit.post(target, eventId,
                        FaultKit.idOnlyEvent(eventId, appointment))));
            }
            for (int i = 0; i < EVENTS; i++) {
                assertThat(answers.get(i).get()).as("acknowledgement of evt-two-" + i).isEqualTo(200);
            }
        } finally {
            senders.shutdownNow();
        }

        long acknowledged = System.nanoTime();
        Map<String, InboxState> done = await("every event DONE", () -> Optional.of(inboxUnchecked(pg))
                .filter(rows -> rows.size() == EVENTS && rows.values().stream()
                        .allMatch(s -> s.status().equals("DONE"))),
                () -> inboxUnchecked(pg) + "\n" + one.logTail() + "\n" + two.logTail());
        System.out.printf("two hubs: %d events acknowledged after %d ms, all DONE after %d ms%n", EVENTS,
                (acknowledged - started) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
        assertThat(done).as("claimed exactly once each").allSatisfy((eventId, s) ->
                assertThat(s.attempts()).as(eventId).isEqualTo(1));
        Map<String, List<String>> doneBy = FaultKit.doneBy(pg);
        System.out.println("events applied per hub (by database role): " + doneBy.values().stream()
                .collect(Collectors.groupingBy(by -> by.get(0), Collectors.counting())));
        assertThat(doneBy).as("one DONE transition per event").hasSize(EVENTS)
                .allSatisfy((eventId, by) -> assertThat(by).as(eventId).hasSize(1));
        assertThat(doneBy.values().stream().map(by -> by.get(0)).distinct())
                .as("both processes applied events").containsExactlyInAnyOrder("postgres", "hub_two");
        Map<String, Integer> reads = fetchesById(booksy);
        assertThat(reads).as("each appointment read exactly once").hasSize(EVENTS).allSatisfy((id, n) ->
                assertThat(n).as(id).isEqualTo(1));
        Map<String, StoredAppointment> stored = FaultKit.appointments(pg);
        assertThat(stored).hasSize(EVENTS).allSatisfy((id, a) -> {
            assertThat(a.rows()).as(id).isEqualTo(1);
            assertThat(a.providerVersion()).as(id).isEqualTo(3L);
        });
        launched.passed();
    }

    @AfterEach
    void tearDown() throws Exception {
        launched.close();
    }
}
