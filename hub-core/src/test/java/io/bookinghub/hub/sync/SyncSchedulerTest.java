package io.bookinghub.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two schedulers (two hub processes) on one database. */
class SyncSchedulerTest {
    private SyncTestSupport t;
    private TestConnector acme;
    private TestConnector plain;
    private SyncService serviceA;
    private SyncService serviceB;
    private SyncScheduler schedulerA;
    private SyncScheduler schedulerB;

    @BeforeEach
    void setUp() {
        // A database per test: the scheduler claims every due connection in it.
        Jdbi jdbi = TestDatabase.createMigrated().jdbi();
        t = new SyncTestSupport(jdbi);
        acme = t.register(new TestConnector("acme", Capability.FULL_SYNC, Capability.INCREMENTAL_SYNC));
        plain = t.register(new TestConnector("plain", Capability.FULL_SYNC));
        serviceA = t.service("hub-a");
        serviceB = t.service("hub-b");
        schedulerA = new SyncScheduler(jdbi, t.clock, SyncTestSupport.config(), serviceA);
        schedulerB = new SyncScheduler(jdbi, t.clock, SyncTestSupport.config(), serviceB);
    }

    @AfterEach
    void tearDown() throws Exception {
        serviceA.stop();
        serviceB.stop();
    }

    /** Both schedulers poll at the same moment; returns every run started, waiting for them to end. */
    private List<SyncRun> pollBoth() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CyclicBarrier barrier = new CyclicBarrier(2);
        try {
            List<Future<List<SyncRun>>> polls = new ArrayList<>();
            for (SyncScheduler s : List.of(schedulerA, schedulerB)) {
                polls.add(pool.submit(() -> {
                    barrier.await();
                    return s.pollOnce();
                }));
            }
            List<SyncRun> started = new ArrayList<>();
            for (Future<List<SyncRun>> f : polls) {
                started.addAll(f.get());
            }
            for (SyncRun run : started) {
                SyncService owner = run.runner().equals("hub-a") ? serviceA : serviceB;
                owner.completion(run.id()).ifPresent(SyncServiceTest::join);
            }
            return started;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void eachDueConnectionRunsOncePerIntervalAcrossProcesses() throws Exception {
        Instant due = t.clock.instant().minusSeconds(1);
        List<UUID> connections = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            connections.add(t.connection(t.business(), i % 2 == 0 ? "acme" : "plain", "PT15M", due));
        }
        UUID notDue = t.connection(t.business(), "acme", "PT15M", t.clock.instant().plusSeconds(60));
        UUID unscheduled = t.connection(t.business(), "acme");
        UUID refused = t.connection(t.business(), "acme", "PT15M", due);
        t.jdbi.useHandle(h -> h.execute("UPDATE connections SET status = 'NEEDS_REAUTHORIZATION' WHERE id = ?", refused));

        List<SyncRun> first = new ArrayList<>(pollBoth());
        // claimBatch is 10 per poll: whatever is left is claimed by the next poll of either process.
        first.addAll(pollBoth());

        assertThat(first).extracting(SyncRun::connectionId).containsExactlyInAnyOrderElementsOf(connections);
        assertThat(first).allSatisfy(run -> {
            assertThat(run.mode()).isEqualTo(RunKind.FULL);
            assertThat(run.trigger()).isEqualTo("schedule");
        });
        assertThat(acme.syncs.get() + plain.syncs.get()).isEqualTo(12);
        assertThat(t.count("SELECT count(*) FROM sync_runs WHERE connection_id IN (?, ?, ?)", notDue, unscheduled,
                refused)).isZero();
        assertThat(t.count("SELECT count(*) FROM connections WHERE next_sync_at = ?",
                t.clock.instant().plus(Duration.ofMinutes(15)))).isEqualTo(12);

        t.clock.advance(Duration.ofMinutes(14));
        assertThat(pollBoth()).extracting(SyncRun::connectionId).containsExactly(notDue);

        t.clock.advance(Duration.ofMinutes(2));
        List<SyncRun> second = new ArrayList<>(pollBoth());
        second.addAll(pollBoth());
        assertThat(second).extracting(SyncRun::connectionId).containsExactlyInAnyOrderElementsOf(connections);
        // After a complete full run, connectors that can go incremental do; the others stay on full.
        Map<String, RunKind> modes = second.stream().collect(Collectors.toMap(SyncRun::connectorId,
                SyncRun::mode, (a, b) -> a == b ? a : null));
        assertThat(modes).containsEntry("acme", RunKind.INCREMENTAL).containsEntry("plain", RunKind.FULL);
        assertThat(t.count("SELECT count(*) FROM sync_runs")).isEqualTo(25);
    }

    @Test
    void failingProviderIsRetriedOncePerIntervalNeverInALoop() throws Exception {
        acme.behaviour = (r, s) -> {
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "503 from the provider");
        };
        UUID connection = t.connection(t.business(), "acme", "PT5M", t.clock.instant());

        assertThat(pollBoth()).hasSize(1);
        assertThat(pollBoth()).isEmpty();
        assertThat(pollBoth()).isEmpty();
        t.clock.advance(Duration.ofMinutes(5));
        assertThat(pollBoth()).hasSize(1);

        assertThat(acme.syncs.get()).isEqualTo(2);
        assertThat(serviceA.ledger().runs().list(connection, null, null, 10)).extracting(SyncRun::status, SyncRun::errorCode)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(SyncRunStatus.FAILED, "PROVIDER_UNAVAILABLE"));
    }

    @Test
    void aConnectionStillSyncingIsSkippedNotQueued() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        acme.behaviour = (r, s) -> {
            SyncServiceTest.await(release);
            return SyncResult.completed();
        };
        UUID business = t.business();
        UUID connection = t.connection(business, "acme", "PT1M", t.clock.instant());
        SyncRun manual = serviceA.start(t.row(business, "acme"), SyncMode.FULL, "admin");
        var completion = serviceA.completion(manual.id()).orElseThrow();

        assertThat(schedulerB.pollOnce()).isEmpty();

        release.countDown();
        SyncServiceTest.join(completion);
        assertThat(t.count("SELECT count(*) FROM sync_runs WHERE connection_id = ?", connection)).isEqualTo(1);
    }

    @Test
    void pollReapsRunsOfDeadProcesses() {
        UUID connection = t.connection(t.business(), "acme");
        t.jdbi.useHandle(h -> h.createUpdate("INSERT INTO sync_runs (id, connection_id, mode, trigger, status,"
                        + " started_at, heartbeat_at) VALUES (:id, :c, 'FULL', 'schedule', 'RUNNING', :t, :t)")
                .bind("id", UUID.randomUUID()).bind("c", connection).bind("t", t.clock.instant()).execute());
        t.clock.advance(Duration.ofMinutes(1));
        schedulerA.pollOnce();
        assertThat(t.count("SELECT count(*) FROM sync_runs WHERE status = 'RUNNING'")).isEqualTo(1);

        t.clock.advance(Duration.ofMinutes(2));
        schedulerA.pollOnce();
        assertThat(t.count("SELECT count(*) FROM sync_runs WHERE status = 'FAILED'"
                + " AND error_message = 'abandoned: hub process stopped'")).isEqualTo(1);
    }

    @Test
    void heartbeatKeepsALongRunAliveAndStopsARunTakenAway() throws Exception {
        UUID business = t.business();
        t.connection(business, "acme");
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        acme.behaviour = (r, sink) -> {
            running.countDown();
            while (!sink.cancelled()) {
                SyncServiceTest.sleep(5);
            }
            return SyncResult.partial("stopped");
        };
        SyncRun run = serviceA.start(t.row(business, "acme"), SyncMode.FULL, "admin");
        var completion = serviceA.completion(run.id()).orElseThrow();
        assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        // Long past staleRunAfter, but process A keeps sending heartbeats: process B must not reap it.
        for (int i = 0; i < 4; i++) {
            t.clock.advance(Duration.ofMinutes(1));
            serviceA.ledger().heartbeat();
            assertThat(serviceB.ledger().reapStale()).isZero();
        }
        // Process A stalls (no heartbeat for too long): B reaps it, and A's run stops once A notices.
        t.clock.advance(Duration.ofMinutes(3));
        assertThat(serviceB.ledger().reapStale()).isEqualTo(1);
        serviceA.ledger().heartbeat();
        SyncRun end = SyncServiceTest.join(completion);
        assertThat(end.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(end.errorMessage()).isEqualTo("abandoned: hub process stopped");
    }
}
