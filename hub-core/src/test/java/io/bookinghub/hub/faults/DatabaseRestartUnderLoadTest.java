package io.bookinghub.hub.faults;

import static io.bookinghub.hub.faults.FaultKit.await;
import static io.bookinghub.hub.faults.FaultKit.inboxUnchecked;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.bookinghub.hub.faults.FaultKit.InboxState;
import io.bookinghub.hub.faults.FaultKit.StoredAppointment;
import io.bookinghub.hubtesting.HubProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL crashes (immediate shutdown, no checkpoint) and comes back on the same port and data directory
 * while senders keep posting distinct signed events to one hub process. An acknowledgement must mean the
 * event is durable: every 200 is an inbox row afterwards and is applied; while the database is away the hub
 * answers 503 (so the provider retries), never 500; and it accepts again once the database is back, without
 * being restarted itself.
 */
class DatabaseRestartUnderLoadTest {
    private static final int SENDERS = 4;
    /** Acknowledged events wanted before the crash and again after the restart. */
    private static final int ACKS_PER_PHASE = 40;
    /** Refusals wanted while the database is down, so the outage was really seen by senders. */
    private static final int REFUSALS_WANTED = 8;

    @TempDir
    Path root;

    private RestartablePostgres pg;
    private HubProcess hub;
    private boolean passed;

    /** What a sender saw for one event: an HTTP status, or -1 for no answer at all. */
    private final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger acks = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();

    @Test
    void acknowledgedEventsOutliveADatabaseCrashAndTheOutageIsAnswered503() throws Exception {
        pg = RestartablePostgres.start(root.resolve("pgdata"));
        // The default lease: events claimed just before the crash cannot be finished while the database is
        // away; the workers hand them back once it answers, so nothing waits five minutes for its lease.
        hub = FaultKit.startHub(root, new FaultKit.HubSettings("hub", 2, "5m", 10), pg.jdbcUrl(),
                root.resolve("encryption.key"));
        // Full events read nothing from Booksy; it only confirms the API key when the connection is made.
        WireMockServer booksy = FaultKit.booksyApi();
        try {
            FaultKit.connectBusiness(hub, booksy);
        } finally {
            booksy.stop();
        }

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            running.add(senders.submit(() -> send(sender, stop)));
        }
        try {
            await("acknowledgements before the crash", () -> Optional.of(acks.get())
                    .filter(n -> n >= ACKS_PER_PHASE), hub::logTail);

            pg.crash();
            int acksAtCrash = acks.get();
            await("503s while the database is down", () -> Optional.of(refusals.get())
                    .filter(n -> n >= REFUSALS_WANTED), hub::logTail);

            int acksBeforeRestart = acks.get();
            pg.restart();
            int acksAtRestart = acks.get();
            await("acknowledgements after the restart", () -> Optional.of(acks.get())
                    .filter(n -> n >= acksAtRestart + ACKS_PER_PHASE), hub::logTail);
            System.out.printf("200s before the crash %d, while down %d (answers in flight at the crash), during "
                    + "and after the restart %d; 503s %d%n", acksAtCrash, acksBeforeRestart - acksAtCrash,
                    acks.get() - acksBeforeRestart, refusals.get());
        } finally {
            stop.set(true);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).as("senders stopped").isTrue();
        }
        for (Future<?> f : running) {
            f.get();
        }
        assertThat(hub.isAlive()).as("the hub kept running").isTrue();

        Map<Integer, Long> byStatus = outcomes.values().stream()
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(byStatus.keySet()).as("answers by status " + byStatus).containsOnly(200, 503);

        List<String> acknowledged = outcomes.entrySet().stream().filter(e -> e.getValue() == 200)
                .map(Map.Entry::getKey).toList();
        Map<String, InboxState> done = await("every stored event DONE", () -> Optional.of(inboxUnchecked(pg))
                .filter(rows -> rows.values().stream().allMatch(s -> s.status().equals("DONE"))
                        && rows.keySet().containsAll(acknowledged)), () -> hub.logTail());
        assertThat(done.keySet()).as("every acknowledged event is in the inbox").containsAll(acknowledged);
        // A 503 may still have been committed (the answer was lost, not the event): the provider's retry is
        // then a duplicate. Rows that no sender was told about do not exist.
        assertThat(outcomes.keySet()).as("no inbox row for an event never sent").containsAll(done.keySet());

        Map<String, StoredAppointment> stored = FaultKit.appointments(pg);
        for (String eventId : acknowledged) {
            String appointment = appointmentOf(eventId);
            assertThat(stored.get(appointment)).as("appointment of " + eventId).isNotNull()
                    .satisfies(a -> assertThat(a.rows()).isEqualTo(1));
        }
        passed = true;
    }

    private void send(int sender, AtomicBoolean stop) {
        for (int i = 0; !stop.get(); i++) {
            String eventId = "evt-" + sender + "-" + i;
            int status;
            try {
                status = FaultKit.post(hub, eventId, FaultKit.fullEvent(eventId, appointmentOf(eventId), 1));
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outcomes.put(eventId, status);
            if (status == 200) {
                acks.incrementAndGet();
            } else if (status == 503) {
                refusals.incrementAndGet();
                try {
                    // A provider backs off too; this keeps the outage from being a busy loop.
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static String appointmentOf(String eventId) {
        return "a-" + eventId.substring("evt-".length());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (!passed && hub != null) {
            System.err.println(hub.logTail());
        }
        if (hub != null) {
            hub.close();
        }
        if (pg != null) {
            pg.close();
        }
    }
}
