package io.bookinghub.hub.changes;

import static io.bookinghub.hub.changes.ChangeFixtures.CONNECTOR;
import static io.bookinghub.hub.changes.ChangeFixtures.appointment;
import static io.bookinghub.hub.changes.ChangeFixtures.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The feed's promise under the load that breaks a plain sequence number: 8 writers, each transaction writing a
 * random mix of creates, updates and soft deletes and then holding its transaction open for a random while, so
 * transactions commit in an order unrelated to the order they took their ids in. A follower polls the feed all the
 * while; at the end it must have seen every committed change exactly once (checked against the writers' own
 * record of what they committed, against the whole {@code model_changes} table and against the final model rows).
 * A naive follower reading by sequence number alone runs beside it, to show the load really does reorder commits.
 *
 * <p>Runs for 30 s; {@code -Dchangefeed.seconds=5} shortens it.
 */
class ChangeFeedConcurrencyTest {
    private static final int WRITERS = 8;

    @Test
    void aFollowerSeesEveryChangeExactlyOnceWhileWritersCommitOutOfOrder() throws Exception {
        Jdbi jdbi = TestDatabase.createMigrated().jdbi();
        UUID business = ChangeFixtures.newBusiness(jdbi);
        ChangeFeed feed = new ChangeFeed(jdbi);
        Duration runFor = Duration.ofSeconds(Long.getLong("changefeed.seconds", 30));

        // Committed changes per record (kind:externalId), counted by the writers after their commit returned.
        Map<String, AtomicInteger> committed = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong versions = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Random random = new Random(1000L + w);
            writers.add(pool.submit(() -> {
                while (!stop.get()) {
                    Map<String, Integer> mine = new HashMap<>();
                    // Each transaction takes its row locks in one global order (kind, then id), as a deadlock
                    // would only abort it; the sleeps hold transactions open so that they commit out of order.
                    Map<String, Integer> ops = new TreeMap<>();
                    for (int i = 1 + random.nextInt(4); i > 0; i--) {
                        int roll = random.nextInt(10);
                        // 0-4 upsert an appointment, 5-7 a client, 8-9 soft-delete an appointment.
                        ops.put((roll >= 5 && roll < 8 ? "c" : "a") + random.nextInt(60), roll);
                    }
                    jdbi.useTransaction(h -> {
                        JdbiRecordSink sink = JdbiRecordSink.inTransaction(h, Clock.systemUTC(), business, CONNECTOR);
                        for (Map.Entry<String, Integer> op : ops.entrySet()) {
                            String id = op.getKey();
                            int roll = op.getValue();
                            if (id.startsWith("c")) {
                                count(mine, "client:" + id, changed(sink.upsert(client(id, versions.incrementAndGet()))));
                            } else if (roll < 5) {
                                count(mine, "appointment:" + id,
                                        changed(sink.upsert(appointment(id, versions.incrementAndGet()))));
                            } else {
                                count(mine, "appointment:" + id, sink.delete(RecordKind.APPOINTMENT, id) ? 1 : 0);
                            }
                            sleep(random.nextInt(3));
                        }
                        sleep(random.nextInt(40));
                    });
                    mine.forEach((key, n) -> committed.computeIfAbsent(key, k -> new AtomicInteger()).addAndGet(n));
                }
                return null;
            }));
        }

        List<Change> seen = new ArrayList<>();
        AtomicInteger naiveMissed = new AtomicInteger();
        Future<?> follower = pool.submit(() -> {
            FeedPosition at = FeedPosition.START;
            long naiveAt = 0;
            Set<Long> naiveSeen = new HashSet<>();
            while (true) {
                boolean writing = !stop.get() || writers.stream().anyMatch(f -> !f.isDone());
                List<Change> page = feed.read(business, at, 50);
                seen.addAll(page);
                if (!page.isEmpty()) {
                    at = page.get(page.size() - 1).position();
                }
                // The naive reader: whatever is committed with a larger sequence number than the last it saw.
                long from = naiveAt;
                List<Long> naive = jdbi.withHandle(h -> h.createQuery("SELECT id FROM model_changes"
                        + " WHERE business_id = :b AND id > :after ORDER BY id")
                        .bind("b", business).bind("after", from).mapTo(Long.class).list());
                naiveSeen.addAll(naive);
                if (!naive.isEmpty()) {
                    naiveAt = naive.get(naive.size() - 1);
                }
                if (!writing && page.isEmpty()) {
                    naiveMissed.set(countAll(jdbi) - naiveSeen.size());
                    return null;
                }
                if (page.size() < 50) {
                    sleep(5);
                }
            }
        });

        Thread.sleep(runFor.toMillis());
        stop.set(true);
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        follower.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        // Exactly once, in feed order.
        Set<FeedPosition> positions = new HashSet<>();
        for (int i = 0; i < seen.size(); i++) {
            assertThat(positions.add(seen.get(i).position())).as("change served twice").isTrue();
            if (i > 0) {
                assertThat(seen.get(i).position()).isGreaterThan(seen.get(i - 1).position());
            }
        }
        // None skipped: the feed served the whole table, and what the writers committed.
        assertThat(seen).hasSize(countAll(jdbi));
        Map<String, Integer> perRecord = new HashMap<>();
        for (Change c : seen) {
            perRecord.merge(c.kind() + ":" + c.externalId(), 1, Integer::sum);
        }
        Map<String, Integer> expected = new HashMap<>();
        committed.forEach((key, n) -> expected.put(key, n.get()));
        expected.values().removeIf(n -> n == 0);
        assertThat(perRecord).isEqualTo(expected);
        // The change that wrote each record's final state was served. (It need not be the record's last change in
        // feed order: the feed follows transaction ids, and a transaction that waited for another's row lock can
        // commit after a younger one; docs/change-feed.md, "Order".)
        Map<String, List<Change>> byRecord = new HashMap<>();
        seen.forEach(c -> byRecord.computeIfAbsent(c.kind() + ":" + c.externalId(), k -> new ArrayList<>()).add(c));
        AtomicInteger lastIsNotFinal = new AtomicInteger();
        for (String table : List.of("appointments:appointment", "clients:client")) {
            String[] t = table.split(":");
            jdbi.useHandle(h -> h.createQuery("SELECT id, external_id, deleted_at IS NOT NULL AS deleted, updated_at FROM "
                    + t[0] + " WHERE business_id = :b").bind("b", business).map((rs, ctx) -> {
                        List<Change> changes = byRecord.get(t[1] + ":" + rs.getString("external_id"));
                        assertThat(changes).as(rs.getString("external_id")).isNotEmpty();
                        UUID id = rs.getObject("id", UUID.class);
                        boolean deleted = rs.getBoolean("deleted");
                        Instant updatedAt = rs.getTimestamp("updated_at").toInstant();
                        assertThat(changes).allSatisfy(c -> assertThat(c.id()).isEqualTo(id));
                        assertThat(changes).as("the change that wrote " + rs.getString("external_id") + "'s final state")
                                .anySatisfy(c -> {
                                    assertThat(c.changedAt()).isEqualTo(updatedAt);
                                    assertThat(c.operation().equals("deleted")).isEqualTo(deleted);
                                });
                        Change last = changes.get(changes.size() - 1);
                        if (!last.changedAt().equals(updatedAt)) {
                            lastIsNotFinal.incrementAndGet();
                        }
                        return 0;
                    }).list());
        }
        System.out.printf("change feed: %d changes in %s by %d writers, all served once; a reader by sequence "
                + "number alone would have missed %d; records whose last change in feed order is not their last "
                + "write: %d%n", seen.size(), runFor, WRITERS, naiveMissed.get(), lastIsNotFinal.get());
        assertThat(seen.size()).isGreaterThan(100);
        assertThat(naiveMissed.get()).as("commits out of sequence order, which this test is about").isPositive();
    }

    private static int countAll(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM model_changes").mapTo(Integer.class).one());
    }

    private static int changed(UpsertOutcome outcome) {
        return outcome == UpsertOutcome.CREATED || outcome == UpsertOutcome.UPDATED ? 1 : 0;
    }

    private static void count(Map<String, Integer> mine, String key, int n) {
        mine.merge(key, n, Integer::sum);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
