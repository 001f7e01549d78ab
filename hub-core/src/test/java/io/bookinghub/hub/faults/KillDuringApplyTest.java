package io.bookinghub.hub.faults;

import static io.bookinghub.hub.faults.FaultKit.await;
import static io.bookinghub.hub.faults.FaultKit.fetches;
import static io.bookinghub.hub.faults.FaultKit.fetchesById;
import static io.bookinghub.hub.faults.FaultKit.inbox;
import static io.bookinghub.hub.faults.FaultKit.inboxUnchecked;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bookinghub.hub.faults.FaultKit.InboxState;
import io.bookinghub.hub.faults.FaultKit.StoredAppointment;
import io.bookinghub.hubtesting.HubProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub process killed with SIGKILL after acknowledging events but before applying them: some are in the
 * middle of being applied (their Booksy read is hanging), some are claimed behind those, the rest are
 * not claimed yet. A second hub process on the same database takes over once the dead one's leases run
 * out and applies every acknowledged event exactly once more.
 */
class KillDuringApplyTest {
    private static final int EVENTS = 8;
    private static final int WORKERS_A = 2;
    /** Longer than the test ever waits: hub A must die with its reads still hanging. */
    private static final Duration HANGING = Duration.ofSeconds(30);

    @TempDir
    Path root;

    private final Started launched = new Started();

    @Test
    void acknowledgedEventsSurviveAKilledHubAndAreAppliedOnceByTheNextOne() throws Exception {
        RestartablePostgres pg = launched.add(RestartablePostgres.start(root.resolve("pgdata")));
        WireMockServer booksy = FaultKit.booksyApi();
        launched.add(booksy::stop);
        Path keyFile = root.resolve("encryption.key");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add("a-kill-" + i);
            // Hub A would store version 1, but it never gets the answer.
            FaultKit.stubAppointment(booksy, ids.get(i), 1, HANGING);
        }

        // Hub A: a lease short enough that B need not wait long, yet far longer than claim-to-kill. Two
        // events per claim, so a worker stuck on its first read also holds a claimed, unstarted event.
        HubProcess a = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-a", WORKERS_A, "3s", 2),
                pg.jdbcUrl(), keyFile));
        FaultKit.connectBusiness(a, booksy);
        for (int i = 0; i < EVENTS; i++) {
            String eventId = "evt-kill-" + i;
            assertThat(FaultKit.post(a, eventId, FaultKit.idOnlyEvent(eventId, ids.get(i))))
                    .as("acknowledgement of " + eventId).isEqualTo(200);
        }
        await("both of hub A's workers blocked in a Booksy read", () -> Optional.of(fetchesById(booksy))
                .filter(f -> f.size() == WORKERS_A), () -> a.logTail());

        a.kill();

        Map<String, InboxState> atKill = inbox(pg);
        Map<String, Integer> fetchesBeforeTakeover = fetchesById(booksy);
        assertThat(atKill).as("every acknowledged event is in the inbox").hasSize(EVENTS);
        assertThat(atKill.values()).as("nothing was applied before the kill")
                .allSatisfy(s -> assertThat(s.status()).isEqualTo("PENDING"));
        assertThat(atKill.values()).as("some events claimed by hub A (those mid-apply at least)")
                .filteredOn(s -> s.attempts() == 1).hasSizeGreaterThanOrEqualTo(WORKERS_A);
        assertThat(atKill.values()).as("some events not claimed at all")
                .filteredOn(s -> s.attempts() == 0).isNotEmpty();
        assertThat(fetchesBeforeTakeover.values()).containsOnly(1);

        // Booksy now answers at once, with version 2: only hub B's reads can have produced what is stored.
        booksy.resetMappings();
        for (String id : ids) {
            FaultKit.stubAppointment(booksy, id, 2, Duration.ZERO);
        }
        // B's own lease is long: with a short one a slow batch could be claimed twice within B, which is
        // at-least-once delivery working as designed, not what this test is about.
        HubProcess b = launched.hub(FaultKit.startHub(root, new FaultKit.HubSettings("hub-b", 2, "60s", 10),
                pg.jdbcUrl(), keyFile));

        Map<String, InboxState> done = await("every event DONE", () -> Optional.of(inboxUnchecked(pg))
                .filter(rows -> rows.size() == EVENTS && rows.values().stream()
                        .allMatch(s -> s.status().equals("DONE"))), () -> inboxUnchecked(pg) + "\n" + b.logTail());

        Map<String, Integer> readsByB = new HashMap<>();
        for (String id : ids) {
            readsByB.put(id, fetches(booksy, id) - fetchesBeforeTakeover.getOrDefault(id, 0));
        }
        assertThat(readsByB).as("hub B read each appointment exactly once").allSatisfy((id, n) ->
                assertThat(n).as(id).isEqualTo(1));
        assertThat(done).as("one claim by B on top of A's claims, for every event").allSatisfy((eventId, s) ->
                assertThat(s.attempts()).as(eventId).isEqualTo(atKill.get(eventId).attempts() + 1));

        Map<String, StoredAppointment> stored = FaultKit.appointments(pg);
        assertThat(stored).hasSize(EVENTS).allSatisfy((id, appt) -> {
            assertThat(appt.rows()).as(id + " stored once").isEqualTo(1);
            assertThat(appt.providerVersion()).as(id).isEqualTo(2L);
            assertThat(appt.businessNote()).as(id).isEqualTo(FaultKit.noteFor(2));
        });
        launched.passed();
    }



    @AfterEach
    void tearDown() throws Exception {
        launched.close();
    }
}
