package io.bookinghub.hub.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.testkit.MutableClock;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Old history goes in batches, recent rows and unfinished work stay, and only one node runs the job at a time. */
class RetentionJobTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant OLD = NOW.minus(Duration.ofDays(400));
    private static final Instant RECENT = NOW.minus(Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void deletesRowsPastTheirRetentionInBatchesAndKeepsTheRest() {
        TestDatabase db = TestDatabase.createMigrated();
        Jdbi jdbi = db.jdbi();
        UUID connection = connection(jdbi);
        jdbi.useHandle(h -> {
            for (Instant at : new Instant[] {OLD, OLD, OLD, RECENT}) {
                h.execute("INSERT INTO api_call_log (connection_id, started_at, method, path, status, latency_ms, "
                        + "attempt) VALUES (?, ?, 'GET', '/x', 200, 1, 1)", connection, at);
                h.execute("INSERT INTO connection_events (connection_id, at, type, message) VALUES (?, ?, 't', 'm')",
                        connection, at);
            }
            run(h, connection, "SUCCEEDED", OLD, 3);
            run(h, connection, "SUCCEEDED", RECENT, 2);
            run(h, connection, "RUNNING", OLD, 2); // a run still going (or waiting to be reaped) is never purged
            for (String status : new String[] {"DONE", "PARKED", "UNROUTED", "PENDING"}) {
                h.execute("INSERT INTO webhook_inbox (connector_id, dedup_key, event_type, payload, status, "
                        + "next_attempt_at, received_at) VALUES ('acme', ?, 't', '{}', ?, ?, ?)",
                        "old-" + status, status, OLD, OLD);
                h.execute("INSERT INTO webhook_inbox (connector_id, dedup_key, event_type, payload, status, "
                        + "next_attempt_at, received_at) VALUES ('acme', ?, 't', '{}', ?, ?, ?)",
                        "new-" + status, status, RECENT, RECENT);
            }
            for (String outcome : new String[] {"ACCEPTED", "REFUSED", "INVALID"}) {
                for (Instant at : new Instant[] {OLD, NOW.minus(Duration.ofDays(10))}) {
                    h.execute("INSERT INTO webhook_log (connector_id, signature_outcome, outcome, received_at, "
                            + "body_size) VALUES ('acme', 'x', ?, ?, 1)", outcome, at);
                }
            }
        });
        RetentionJob job = new RetentionJob(jdbi, clock, config(), new SharedRateBudgets(db.dataSource(), clock));

        Map<String, Integer> deleted = job.runOnce().orElseThrow();

        assertThat(deleted).containsEntry("api_call_log", 3).containsEntry("connection_events", 3)
                .containsEntry("sync_runs", 1).containsEntry("sync_logs", 3).containsEntry("webhook_inbox", 3)
                .containsEntry("webhook_log", 1).containsEntry("webhook_log_refused", 4);
        assertThat(count(jdbi, "SELECT count(*) FROM api_call_log")).isEqualTo(1);
        assertThat(count(jdbi, "SELECT count(*) FROM sync_runs")).isEqualTo(2);
        assertThat(count(jdbi, "SELECT count(*) FROM sync_logs")).isEqualTo(4);
        assertThat(count(jdbi, "SELECT count(*) FROM webhook_inbox WHERE dedup_key LIKE 'old-%'"))
                .as("a pending event is never purged").isEqualTo(1);
        assertThat(count(jdbi, "SELECT count(*) FROM webhook_log WHERE outcome = 'ACCEPTED'")).isEqualTo(1);
        assertThat(count(jdbi, "SELECT count(*) FROM webhook_log WHERE outcome <> 'ACCEPTED'"))
                .as("refused audit rows go after 7 days").isZero();
        assertThat(job.runOnce().orElseThrow().values()).as("nothing left to do").allMatch(n -> n == 0);
    }

    @Test
    void onlyOneNodeRunsTheJobAtATime() {
        TestDatabase db = TestDatabase.createMigrated();
        Jdbi jdbi = db.jdbi();
        RetentionJob job = new RetentionJob(jdbi, clock, config(), new SharedRateBudgets(db.dataSource(), clock));
        // Another node holds the lock for the length of its run.
        try (Handle otherNode = jdbi.open()) {
            assertThat(otherNode.attach(RetentionDao.class).tryLock()).isTrue();
            assertThat(job.runOnce()).isEmpty();
            otherNode.attach(RetentionDao.class).unlock();
        }
        assertThat(job.runOnce()).isPresent();
    }

    /** The defaults, with batches of 2 so the batching loop really runs. */
    private static RetentionConfig config() {
        try {
            return Jackson.newObjectMapper().readValue("{\"batchSize\": 2}", RetentionConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Handle h, UUID connection, String status, Instant at, int logs) {
        UUID id = UUID.randomUUID();
        h.execute("INSERT INTO sync_runs (id, connection_id, mode, trigger, status, started_at, heartbeat_at, "
                + "finished_at) VALUES (?, ?, 'FULL', 'schedule', ?, ?, ?, ?)", id, connection, status, at, at,
                "RUNNING".equals(status) ? null : at);
        for (int i = 0; i < logs; i++) {
            h.execute("INSERT INTO sync_logs (sync_run_id, at, level, message) VALUES (?, ?, 'INFO', 'm')", id, at);
        }
    }

    private static UUID connection(Jdbi jdbi) {
        return TestDatabase.insertConnection(jdbi, "acme");
    }

    private static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
