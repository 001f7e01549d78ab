package io.bookinghub.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The writer acknowledges only flushed commits, whatever the database's own setting; concurrent group commits
 * store each event once and tell every delivery what became of it.
 */
class InboxWriterTest {
    private static final int KEYS = 40;
    private static final int COPIES = 6;

    @Test
    void concurrentGroupCommitsStoreEachEventOnceAndAnswerEveryDelivery() throws Exception {
        TestDatabase db = TestDatabase.createMigrated();
        InboxWriter writer = new InboxWriter(db.jdbi(), Clock.systemUTC(), new WebhookStore(db.jdbi()), 25, 10_000, 3);
        writer.start();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<CompletableFuture<List<WebhookStore.Written>>> answers = new ArrayList<>();
        try {
            // Every delivery carries two events, half of them in reverse key order, and each pair is sent
            // COPIES times from several threads: batches of different writers share keys in both orders.
            List<CompletableFuture<CompletableFuture<List<WebhookStore.Written>>>> submitted = new ArrayList<>();
            for (int copy = 0; copy < COPIES; copy++) {
                for (int k = 0; k < KEYS; k++) {
                    int first = copy % 2 == 0 ? k : (k + 1) % KEYS;
                    int second = copy % 2 == 0 ? (k + 1) % KEYS : k;
                    submitted.add(CompletableFuture.supplyAsync(
                            () -> writer.submit(List.of(write(first), write(second))), senders));
                }
            }
            for (var s : submitted) {
                answers.add(s.get(30, TimeUnit.SECONDS));
            }
            int stored = 0;
            int duplicates = 0;
            for (var answer : answers) {
                List<WebhookStore.Written> written = answer.get(30, TimeUnit.SECONDS);
                assertThat(written).hasSize(2).allSatisfy(w -> assertThat(w.inboxId()).isNotNull());
                for (WebhookStore.Written w : written) {
                    if (w.duplicate()) {
                        duplicates++;
                    } else {
                        stored++;
                    }
                }
            }
            // Each key appears in 2 x COPIES events: one of them stored it, the others were told it existed.
            assertThat(stored).isEqualTo(KEYS);
            assertThat(duplicates).isEqualTo(KEYS * (2 * COPIES - 1));
            long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM webhook_inbox")
                    .mapTo(Long.class).one());
            long duplicateAudits = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM webhook_log "
                    + "WHERE outcome = 'DUPLICATE'").mapTo(Long.class).one());
            assertThat(rows).isEqualTo(KEYS);
            assertThat(duplicateAudits).isEqualTo(duplicates);
        } finally {
            senders.shutdownNow();
            writer.stop();
        }
    }

    private static WebhookStore.Write write(int key) {
        Instant now = Instant.now();
        String eventId = "evt-" + key;
        return new WebhookStore.Write(
                new AuditEntry("test", null, null, eventId, "t", AuditEntry.VERIFIED, null, DeliveryOutcome.ACCEPTED,
                        200, now, 10),
                new InboxEntry("test", "k/" + eventId, null, null, eventId, "t", null, null, "{}",
                        InboxStatus.PENDING, null, now, null));
    }

    @Test
    void insistsOnSynchronousCommitOnlyWhereTheDatabaseTurnedItOff() throws Exception {
        // The test server runs with zonky's default, synchronous_commit = off.
        TestDatabase off = TestDatabase.createMigrated();
        assertThat(forces(off.jdbi())).isTrue();

        TestDatabase on = TestDatabase.createMigrated();
        String name = on.jdbcUrl().substring(on.jdbcUrl().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        on.jdbi().useHandle(h -> h.execute("ALTER DATABASE " + name + " SET synchronous_commit = on"));
        assertThat(forces(on.jdbi())).isFalse();
    }

    private static boolean forces(Jdbi jdbi) throws InterruptedException {
        InboxWriter writer = new InboxWriter(jdbi, Clock.systemUTC(), new WebhookStore(jdbi), 10, 10, 2);
        writer.start();
        try {
            return writer.forcesSynchronousCommit();
        } finally {
            writer.stop();
        }
    }
}
