package io.bookinghub.hub.retention;

import static io.bookinghub.hub.changes.ChangeFixtures.CONNECTOR;
import static io.bookinghub.hub.changes.ChangeFixtures.appointment;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.changes.Change;
import io.bookinghub.hub.changes.ChangeFeed;
import io.bookinghub.hub.changes.ChangeFixtures;
import io.bookinghub.hub.changes.FeedPosition;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.testkit.MutableClock;
import io.dropwizard.jackson.Jackson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The change feed's retention deletes only old changes the app webhook fan-out has passed, and moves the horizon
 * past them, so the feed can refuse a cursor that would otherwise skip what was deleted.
 */
class ChangeFeedRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void oldFannedOutChangesGoAndTheHorizonMovesPastThem() throws Exception {
        TestDatabase db = TestDatabase.createMigrated();
        Jdbi jdbi = db.jdbi();
        UUID business = ChangeFixtures.newBusiness(jdbi);
        MutableClock clock = new MutableClock(NOW.minus(Duration.ofDays(40)));
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, clock, business, CONNECTOR, null);
        for (String id : List.of("a1", "a2", "a3")) {
            sink.upsert(appointment(id, 1));
        }
        clock.set(NOW.minus(Duration.ofHours(1)));
        sink.upsert(appointment("a4", 1));
        ChangeFeed feed = new ChangeFeed(jdbi);
        List<Change> all = feed.read(business, FeedPosition.START, 10);
        assertThat(all).hasSize(4);
        // The fan-out has passed a1 and a2 only: a3 is old but still needed.
        FeedPosition fannedOut = all.get(1).position();
        jdbi.useHandle(h -> h.createUpdate("UPDATE app_webhook_fanout SET xid = CAST(:xid AS xid8), change_id = :id")
                .bind("xid", Long.toString(fannedOut.xid())).bind("id", fannedOut.id()).execute());

        clock.set(NOW);
        RetentionConfig config = Jackson.newObjectMapper().readValue("{\"batchSize\": 1}", RetentionConfig.class);
        RetentionJob job = new RetentionJob(jdbi, clock, config, new SharedRateBudgets(db.dataSource(), clock));
        assertThat(job.runOnce().orElseThrow()).containsEntry("model_changes", 2);

        assertThat(feed.horizon()).isEqualTo(fannedOut);
        assertThat(feed.read(business, FeedPosition.START, 10)).extracting(Change::externalId)
                .containsExactly("a3", "a4");
        assertThat(all.get(0).position()).as("a cursor that missed a2").isLessThan(feed.horizon());
        assertThat(job.runOnce().orElseThrow()).containsEntry("model_changes", 0);
    }
}
