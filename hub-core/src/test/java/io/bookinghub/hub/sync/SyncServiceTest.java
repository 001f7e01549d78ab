package io.bookinghub.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.connections.ConnectionEventView;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncResult;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync engine on a real PostgreSQL with in-process connectors. */
class SyncServiceTest {
    private static final Jdbi JDBI = TestDatabase.createMigrated().jdbi();

    private SyncTestSupport t;
    private TestConnector acme;
    private FakeProvider provider;
    private SyncService service;
    private UUID business;
    private UUID connection;

    @BeforeEach
    void setUp() {
        t = new SyncTestSupport(JDBI);
        acme = t.register(new TestConnector("acme", Capability.FULL_SYNC, Capability.INCREMENTAL_SYNC));
        provider = new FakeProvider("acme").client("c1", "Alice").client("c2", "Bob").client("c3", "Carol")
                .staff("s1", "Stan");
        acme.behaviour = provider::sync;
        service = t.service("hub-a");
        business = t.business();
        connection = t.connection(business, "acme");
    }

    @AfterEach
    void tearDown() throws Exception {
        service.stop();
    }

    private SyncRun run(SyncMode mode) {
        t.clock.advance(Duration.ofMinutes(1));
        return service.runNow(t.row(business, "acme"), mode, "test");
    }

    private long live(String table) {
        return t.count("SELECT count(*) FROM " + table + " WHERE business_id = ? AND deleted_at IS NULL", business);
    }

    private boolean deleted(String table, String externalId) {
        return t.count("SELECT count(*) FROM " + table + " WHERE business_id = ? AND external_id = ?"
                + " AND deleted_at IS NOT NULL", business, externalId) == 1;
    }

    @Test
    void fullSyncCreatesRecordsAndRecordsCountsAndDuration() {
        SyncRun run = run(SyncMode.FULL);

        assertThat(run.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(run.mode()).isEqualTo(RunKind.FULL);
        assertThat(run.trigger()).isEqualTo("test");
        assertThat(run.runner()).isEqualTo("hub-a");
        assertThat(run.createdCount()).isEqualTo(4);
        assertThat(run.updatedCount() + run.unchangedCount() + run.deletedCount() + run.skippedCount()).isZero();
        assertThat(run.complete()).isTrue();
        assertThat(run.finishedAt()).isNotNull();
        assertThat(run.durationMs()).isEqualTo(Duration.between(run.startedAt(), run.finishedAt()).toMillis());
        assertThat(run.progress()).isEqualTo(new SyncProgress("clients", 3, 3));
        assertThat(live("clients")).isEqualTo(3);
        assertThat(live("staff_members")).isEqualTo(1);
        assertThat(service.ledger().runs().list(connection, null, null, 10)).extracting(SyncRun::id).containsExactly(run.id());
    }

    @Test
    void identicalSecondFullSyncChangesNothing() {
        run(SyncMode.FULL);
        var before = JDBI.withHandle(h -> h.createQuery("SELECT external_id, updated_at FROM clients"
                + " WHERE business_id = :b ORDER BY external_id").bind("b", business).mapToMap().list());

        SyncRun second = run(SyncMode.FULL);

        assertThat(second.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(second.unchangedCount()).isEqualTo(4);
        assertThat(second.createdCount() + second.updatedCount() + second.deletedCount()).isZero();
        var after = JDBI.withHandle(h -> h.createQuery("SELECT external_id, updated_at FROM clients"
                + " WHERE business_id = :b ORDER BY external_id").bind("b", business).mapToMap().list());
        assertThat(after).isEqualTo(before);
        assertThat(service.ledger().runs().list(connection, null, null, 10)).extracting(SyncRun::id)
                .startsWith(second.id()).hasSize(2);
    }

    @Test
    void recordRemovedAtProviderIsSoftDeletedOnlyByACompleteFullRun() {
        run(SyncMode.FULL);
        provider.clients.remove("c2");

        SyncRun incremental = run(SyncMode.INCREMENTAL);
        assertThat(incremental.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(deleted("clients", "c2")).as("incremental run").isFalse();

        acme.behaviour = (request, sink) -> {
            sink.upsert(provider.client("c1", provider.clients.get("c1")));
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "provider answered 503 five times");
        };
        SyncRun failed = run(SyncMode.FULL);
        assertThat(failed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(deleted("clients", "c2")).as("failed run").isFalse();

        acme.behaviour = (request, sink) -> {
            provider.sync(request, sink);
            return SyncResult.partial("stopped after page 3 of 4");
        };
        SyncRun incomplete = run(SyncMode.FULL);
        assertThat(incomplete.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(incomplete.complete()).isFalse();
        assertThat(incomplete.errorMessage()).isEqualTo("stopped after page 3 of 4");
        assertThat(incomplete.deletedCount()).isZero();
        assertThat(deleted("clients", "c2")).as("incomplete run").isFalse();

        acme.behaviour = provider::sync;
        SyncRun full = run(SyncMode.FULL);
        assertThat(full.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(full.deletedCount()).isEqualTo(1);
        assertThat(deleted("clients", "c2")).isTrue();
        assertThat(live("clients")).isEqualTo(2);
        assertThat(live("staff_members")).isEqualTo(1);
    }

    @Test
    void fullRunDeletesWithinKindsSyncsReadEvenWhenNowEmptyButNeverOtherKinds() {
        run(SyncMode.FULL);
        // A location that arrived another way (webhook): no sync of this connection ever reads locations.
        new JdbiRecordSink(JDBI, t.clock, business, "acme", null).upsert(new Location(new ExternalRef("acme", "l1"),
                "Main", null, ZoneId.of("Europe/Warsaw"), null));
        provider.staff.clear();
        t.clock.advance(Duration.ofMinutes(1));

        SyncRun full = run(SyncMode.FULL);

        assertThat(full.deletedCount()).isEqualTo(1);
        assertThat(deleted("staff_members", "s1")).as("kind read before, now empty at the provider").isTrue();
        assertThat(live("locations")).as("kind no sync reads").isEqualTo(1);
    }

    @Test
    void recordWrittenWhileTheFullRunWasInProgressSurvivesItsSoftDelete() {
        acme.behaviour = (request, sink) -> {
            // A webhook stores c9 while the sync is past the page that would have contained it.
            new JdbiRecordSink(JDBI, t.clock, business, "acme", null).upsert(provider.client("c9",
                    new FakeProvider.Row("Late", 99)));
            return provider.sync(request, sink);
        };
        SyncRun full = run(SyncMode.FULL);
        assertThat(full.deletedCount()).isZero();
        assertThat(deleted("clients", "c9")).isFalse();
    }

    @Test
    void incrementalRunsReadAndSaveTheirCursor() {
        SyncRun full = run(SyncMode.FULL);
        assertThat(cursor("clients")).isEqualTo("3");

        provider.client("c4", "Dora").client("c1", "Alice Smith");
        SyncRun incremental = run(SyncMode.INCREMENTAL);

        assertThat(provider.lastCursorSeen).isEqualTo("3");
        assertThat(incremental.createdCount()).isEqualTo(1);
        assertThat(incremental.updatedCount()).isEqualTo(1);
        assertThat(incremental.unchangedCount()).isZero();
        assertThat(cursor("clients")).isEqualTo("5");

        SyncRun nothingNew = run(SyncMode.INCREMENTAL);
        assertThat(provider.lastCursorSeen).isEqualTo("5");
        assertThat(nothingNew.createdCount() + nothingNew.updatedCount() + nothingNew.unchangedCount()).isZero();
        assertThat(full.id()).isNotEqualTo(incremental.id());
    }

    private String cursor(String resource) {
        return JDBI.withHandle(h -> h.createQuery("SELECT cursor FROM sync_cursors WHERE connection_id = :c"
                + " AND resource = :r").bind("c", connection).bind("r", resource).mapTo(String.class).one());
    }

    @Test
    void runOfADeadProcessIsReapedAndTheNextRunResumesFromItsCursor() throws Exception {
        run(SyncMode.FULL);
        CountDownLatch died = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        acme.behaviour = (request, sink) -> {
            sink.saveCursor("clients", "2");
            died.countDown();
            await(release);
            // The "dead" process wakes up much later and tries to finish: it must not override anything.
            return SyncResult.completed();
        };
        SyncRun zombie = service.start(t.row(business, "acme"), SyncMode.INCREMENTAL, "test");
        var zombieDone = service.completion(zombie.id()).orElseThrow();
        assertThat(died.await(10, TimeUnit.SECONDS)).isTrue();

        // Process A stopped heartbeating (no timer runs in this test); process B comes along later.
        t.clock.advance(Duration.ofMinutes(3));
        FakeProvider resumed = new FakeProvider("acme");
        resumed.clients.putAll(provider.clients);
        acme.behaviour = resumed::sync;
        SyncService processB = t.service("hub-b");
        try {
            SyncRun next = processB.runNow(t.row(business, "acme"), SyncMode.INCREMENTAL, "test");
            assertThat(next.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
            assertThat(resumed.lastCursorSeen).isEqualTo("2");
            assertThat(next.unchangedCount()).isEqualTo(1); // only c3 (version 3) is after the cursor

            SyncRun reaped = service.ledger().runs().find(connection, zombie.id()).orElseThrow();
            assertThat(reaped.status()).isEqualTo(SyncRunStatus.FAILED);
            assertThat(reaped.errorMessage()).isEqualTo("abandoned: hub process stopped");
            assertThat(t.events(connection)).extracting(ConnectionEventView::type)
                    .contains("sync-abandoned");
        } finally {
            release.countDown();
            processB.stop();
        }
        SyncRun afterWake = join(zombieDone);
        assertThat(afterWake.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(afterWake.errorMessage()).isEqualTo("abandoned: hub process stopped");
    }

    @Test
    void twoProcessesStartingTheSameConnectionAtOnceRunItOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        acme.behaviour = (request, sink) -> {
            await(release);
            return SyncResult.completed();
        };
        SyncService processB = t.service("hub-b");
        try {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            var barrier = new java.util.concurrent.CyclicBarrier(2);
            List<java.util.concurrent.Future<Object>> attempts = List.of(service, processB).stream()
                    .map(s -> pool.submit(() -> {
                        barrier.await();
                        try {
                            return (Object) s.start(t.row(business, "acme"), SyncMode.FULL, "test");
                        } catch (ConnectorException e) {
                            return e;
                        }
                    })).toList();
            List<Object> outcomes = List.of(attempts.get(0).get(), attempts.get(1).get());
            pool.shutdown();

            assertThat(outcomes).filteredOn(o -> o instanceof SyncRun).hasSize(1);
            SyncRun started = (SyncRun) outcomes.stream().filter(o -> o instanceof SyncRun).findFirst()
                    .orElseThrow();
            ConnectorException refused = (ConnectorException) outcomes.stream()
                    .filter(o -> o instanceof ConnectorException).findFirst().orElseThrow();
            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused.getMessage()).isEqualTo("a sync is already running: run " + started.id());
            SyncService owner = started.runner().equals("hub-a") ? service : processB;
            var done = owner.completion(started.id()).orElseThrow();
            release.countDown();
            assertThat(join(done).status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        } finally {
            release.countDown();
            processB.stop();
        }
        assertThat(acme.syncs.get()).isEqualTo(1);
        assertThat(t.count("SELECT count(*) FROM sync_runs WHERE connection_id = ?", connection)).isEqualTo(1);
    }

    @Test
    void malformedRecordsAreSkippedAndListedWhileGoodOnesLand() {
        run(SyncMode.FULL);
        acme.behaviour = (request, sink) -> {
            sink.upsert(provider.client("c1", provider.clients.get("c1")));
            sink.skipped(RecordKind.CLIENT, "c2", "phone is not a string");
            sink.upsert(provider.client("c3", provider.clients.get("c3")));
            sink.skipped(RecordKind.STAFF_MEMBER, null, "staff entry without an id");
            sink.upsert(provider.client("c7", new FakeProvider.Row("New", 7)));
            return SyncResult.completed();
        };

        SyncRun run = run(SyncMode.FULL);

        assertThat(run.status()).isEqualTo(SyncRunStatus.PARTIAL);
        assertThat(run.complete()).isTrue();
        assertThat(run.skippedCount()).isEqualTo(2);
        assertThat(run.createdCount()).isEqualTo(1);
        assertThat(run.errorMessage()).contains("2 provider record(s) skipped");
        assertThat(service.ledger().runs().logs(run.id(), null, 10)).extracting(SyncLogView::level, SyncLogView::recordKind,
                SyncLogView::externalId, SyncLogView::message).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("WARN", "CLIENT", "c2", "skipped: phone is not a string"),
                        org.assertj.core.groups.Tuple.tuple("WARN", "STAFF_MEMBER", null,
                                "skipped: staff entry without an id"));
        // The provider still has c2 (it was only unreadable) and some staff member: nothing of it is deleted.
        assertThat(deleted("clients", "c2")).isFalse();
        assertThat(deleted("staff_members", "s1")).isFalse();
        assertThat(run.deletedCount()).isZero();
        assertThat(live("clients")).isEqualTo(4);
    }

    @Test
    void connectorErrorsAreRecordedWithCodeAndKeepWhatWasWritten() {
        acme.behaviour = (request, sink) -> {
            sink.upsert(provider.client("c1", provider.clients.get("c1")));
            throw new ConnectorException(ErrorCode.RATE_LIMITED, "throttled: 429 on 5 attempts");
        };
        SyncRun failed = run(SyncMode.FULL);

        assertThat(failed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(failed.errorMessage()).isEqualTo("throttled: 429 on 5 attempts");
        assertThat(failed.createdCount()).isEqualTo(1);
        assertThat(failed.complete()).isNull();
        assertThat(live("clients")).isEqualTo(1);
        assertThat(t.events(connection)).extracting(ConnectionEventView::type)
                .contains("sync-failed");
    }

    @Test
    void aSyncTheProviderRefusesForAuthMarksTheConnectionForReauthorization() {
        acme.behaviour = (request, sink) -> {
            throw new ConnectorException(ErrorCode.AUTH_REQUIRED, "provider answered 401 after a token refresh");
        };
        SyncRun failed = run(SyncMode.FULL);

        assertThat(failed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("AUTH_REQUIRED");
        Map<String, Object> row = JDBI.withHandle(h -> h.createQuery("SELECT status, status_reason FROM connections "
                + "WHERE id = :id").bind("id", connection).mapToMap().one());
        assertThat(row).containsEntry("status", "NEEDS_REAUTHORIZATION")
                .containsEntry("status_reason", "sync refused: provider answered 401 after a token refresh");
        assertThat(t.events(connection)).extracting(ConnectionEventView::type)
                .contains("needs-reauthorization", "sync-failed");
    }

    @Test
    void unexpectedExceptionsStoreTheClassOnlyNeverTheirMessage() {
        acme.behaviour = (request, sink) -> {
            throw new IllegalStateException("token=sk_live_abcdef was rejected");
        };
        SyncRun failed = run(SyncMode.FULL);

        assertThat(failed.status()).isEqualTo(SyncRunStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("INTERNAL");
        assertThat(failed.errorMessage()).isEqualTo("java.lang.IllegalStateException");
        assertThat(t.events(connection).toString()).doesNotContain("sk_live");
    }

    @Test
    void progressAndCountersAreVisibleWhileTheRunIsGoing() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        acme.behaviour = (request, sink) -> {
            sink.upsert(provider.client("c1", provider.clients.get("c1")));
            sink.progress("appointments", 12, 40);
            reported.countDown();
            await(release);
            return SyncResult.completed();
        };
        SyncRun started = service.start(t.row(business, "acme"), SyncMode.FULL, "test");
        var done = service.completion(started.id()).orElseThrow();
        try {
            assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
            SyncRun running = service.ledger().runs().find(connection, started.id()).orElseThrow();
            assertThat(running.status()).isEqualTo(SyncRunStatus.RUNNING);
            assertThat(running.progress()).isEqualTo(new SyncProgress("appointments", 12, 40));
            assertThat(running.createdCount()).isEqualTo(1);
            assertThat(running.durationMs()).isNull();
        } finally {
            release.countDown();
        }
        assertThat(join(done).status()).isEqualTo(SyncRunStatus.SUCCEEDED);
    }

    @Test
    void cancelRequestedThroughAnotherProcessStopsTheRun() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        acme.behaviour = (request, sink) -> {
            int page = 0;
            while (!sink.cancelled()) {
                sink.progress("clients", ++page, -1);
                running.countDown();
                sleep(5);
            }
            return SyncResult.partial("cancelled at page " + page);
        };
        SyncRun started = service.start(t.row(business, "acme"), SyncMode.FULL, "test");
        var completion = service.completion(started.id()).orElseThrow();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        SyncService other = t.service("hub-b");
        SyncRun requested = other.ledger().cancel(t.row(business, "acme"), started.id());
        assertThat(requested.cancelRequested()).isTrue();

        SyncRun done = join(completion);
        assertThat(done.status()).isEqualTo(SyncRunStatus.CANCELLED);
        assertThat(done.errorMessage()).startsWith("cancelled at page");
        assertThatThrownBy(() -> other.ledger().cancel(t.row(business, "acme"), started.id()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        other.stop();
    }

    @Test
    void shutdownCancelsRunningSyncsCleanly() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        acme.behaviour = (request, sink) -> {
            sink.upsert(provider.client("c1", provider.clients.get("c1")));
            running.countDown();
            while (!sink.cancelled()) {
                sleep(5);
            }
            return SyncResult.partial("stopped: hub shutting down");
        };
        SyncRun started = service.start(t.row(business, "acme"), SyncMode.FULL, "test");
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        service.stop();

        SyncRun done = service.ledger().runs().find(connection, started.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(SyncRunStatus.CANCELLED);
        assertThat(done.createdCount()).isEqualTo(1);
        assertThat(live("clients")).isEqualTo(1);
        assertThatThrownBy(() -> service.start(t.row(business, "acme"), SyncMode.FULL, "test"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void capabilitiesAndConnectionStateAreChecked() {
        t.register(new TestConnector("plain", Capability.FULL_SYNC));
        t.connection(business, "plain");
        assertThatThrownBy(() -> service.start(t.row(business, "plain"), SyncMode.INCREMENTAL, "test"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
                    assertThat(e.getMessage()).contains("INCREMENTAL_SYNC");
                });
        t.register(new TestConnector("nosync", Capability.API_KEY_AUTH));
        t.connection(business, "nosync");
        assertThatThrownBy(() -> service.start(t.row(business, "nosync"), SyncMode.FULL, "test"))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));

        JDBI.useHandle(h -> h.createUpdate("UPDATE connections SET enabled = false WHERE id = :id")
                .bind("id", connection).execute());
        assertThatThrownBy(() -> service.start(t.row(business, "acme"), SyncMode.FULL, "test"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> service.start(t.row(business, "missing"), SyncMode.FULL, "test"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(t.count("SELECT count(*) FROM sync_runs WHERE connection_id = ?", connection)).isZero();
    }

    @Test
    void defaultModeIsIncrementalOnlyAfterACompleteFullRun() {
        var row = t.row(business, "acme");
        assertThat(service.defaultMode(row)).isEqualTo(SyncMode.FULL);
        acme.behaviour = (r, s) -> SyncResult.partial("not everything");
        run(SyncMode.FULL);
        assertThat(service.defaultMode(row)).isEqualTo(SyncMode.FULL);
        acme.behaviour = provider::sync;
        run(SyncMode.FULL);
        assertThat(service.defaultMode(row)).isEqualTo(SyncMode.INCREMENTAL);
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SyncRun join(java.util.concurrent.CompletableFuture<SyncRun> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
