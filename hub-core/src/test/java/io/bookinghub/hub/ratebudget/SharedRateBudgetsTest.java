package io.bookinghub.hub.ratebudget;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.spi.RateBudget;
import io.bookinghub.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shared budget on a real PostgreSQL: two nodes (two pools, two clocks in step) draw from one bucket. */
class SharedRateBudgetsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final RateBudget.Limit TEN_PER_SECOND_BURST_FIFTY = new RateBudget.Limit(10, 50);

    @Test
    void twoNodesTogetherGetTheBurstOnceThenTheRate() {
        TestDatabase db = TestDatabase.createMigrated();
        MutableClock clock = new MutableClock(NOW);
        RateBudget nodeOne = new SharedRateBudgets(db.dataSource(), clock).forConnector("booksy");
        RateBudget nodeTwo = new SharedRateBudgets(db.dataSource(), clock).forConnector("booksy");

        int free = 0;
        Duration lastWait = Duration.ZERO;
        for (int i = 0; i < 30; i++) {
            for (RateBudget node : new RateBudget[] {nodeOne, nodeTwo}) {
                Duration wait = node.reserve("business:b-1", TEN_PER_SECOND_BURST_FIFTY, 1);
                if (wait.isZero()) {
                    free++;
                } else {
                    assertThat(wait).as("each reservation past the burst waits one interval more")
                            .isEqualTo(lastWait.plusMillis(100));
                    lastWait = wait;
                }
            }
        }
        assertThat(free).isEqualTo(50);
        assertThat(lastWait).isEqualTo(Duration.ofSeconds(1));

        // Time passing refills at the rate, whichever node asks.
        clock.advance(Duration.ofSeconds(2));
        assertThat(nodeOne.reserve("business:b-1", TEN_PER_SECOND_BURST_FIFTY, 1)).isZero();
    }

    @Test
    void keysOfDifferentConnectorsAndLimitsAreSeparateBuckets() {
        TestDatabase db = TestDatabase.createMigrated();
        MutableClock clock = new MutableClock(NOW);
        SharedRateBudgets budgets = new SharedRateBudgets(db.dataSource(), clock);
        RateBudget.Limit one = new RateBudget.Limit(1, 1);
        assertThat(budgets.forConnector("booksy").reserve("app", one, 1)).isZero();
        assertThat(budgets.forConnector("booksy").reserve("app", one, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(budgets.forConnector("other").reserve("app", one, 1)).as("another connector's key").isZero();
        assertThat(budgets.forConnector("booksy").reserve("app", new RateBudget.Limit(2, 1), 1))
                .as("a changed limit starts afresh").isZero();
    }

    @Test
    void idleBucketsExpireAndArePurged() {
        TestDatabase db = TestDatabase.createMigrated();
        // Bucket4j's purge compares expires_at with the system clock, so this test's buckets start at real time.
        SharedRateBudgets budgets = new SharedRateBudgets(db.dataSource(), Clock.systemUTC());
        budgets.forConnector("booksy").reserve("app", new RateBudget.Limit(1, 1), 1);
        assertThat(budgets.purgeExpired(100)).as("kept while it could still matter").isZero();
        // Instead of waiting out SharedRateBudgets.IDLE, move the row's expiry into the past.
        db.jdbi().useHandle(h -> h.execute("UPDATE rate_budget_buckets SET expires_at = 0"));
        assertThat(budgets.purgeExpired(100)).isEqualTo(1);
    }
}
