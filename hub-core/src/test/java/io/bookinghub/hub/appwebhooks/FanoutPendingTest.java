package io.bookinghub.hub.appwebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.model.PlanCost;
import io.bookinghub.hub.testing.TestDatabase;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fanout's lock-free look for work ({@link Fanout#PENDING}), which every node runs at every poll: true exactly
 * when a settled change follows the position, and one probe of the feed's key however many changes precede it.
 */
class FanoutPendingTest {
    private static final int HISTORY = 20_000;

    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        jdbi = TestDatabase.createMigrated().jdbi();
    }

    @Test
    void aSettledChangeAfterThePositionIsPendingAndNothingAfterItIsNot() {
        assertThat(pending()).isFalse();
        insertChanges(jdbi, 3);
        assertThat(pending()).isTrue();
        moveToChange(jdbi, "ORDER BY xid DESC, id DESC");
        assertThat(pending()).isFalse();
    }

    @Test
    void aChangeCommittedAfterAnOlderTransactionStillRunningIsNotYetPending() {
        try (Handle older = jdbi.open()) {
            older.begin();
            insertChanges(older, 1); // gets its xid first, then stays open
            insertChanges(jdbi, 1); // a younger transaction commits
            assertThat(pending()).as("the committed change may still be preceded by the open one's").isFalse();
            older.commit();
        }
        assertThat(pending()).isTrue();
    }

    @Test
    void theLookReadsOneChangeHoweverLongTheHistoryBeforeThePosition() {
        insertChanges(jdbi, HISTORY);
        insertChanges(jdbi, 1);
        moveToChange(jdbi, "ORDER BY xid DESC, id DESC OFFSET 1");
        assertThat(pending()).isTrue();

        PlanCost cost = PlanCost.of(jdbi.withHandle(h -> h.createQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                + Fanout.PENDING).mapTo(String.class).one()), "model_changes");
        assertThat(cost.plan()).contains("model_changes_pkey");
        assertThat(cost.rowsRead()).isEqualTo(1);
        assertThat(cost.sharedBuffers()).isLessThan(10);
    }

    private boolean pending() {
        Optional<Boolean> first = jdbi.withHandle(h -> h.createQuery(Fanout.PENDING).mapTo(Boolean.class).findOne());
        return first.orElse(false);
    }

    private static void insertChanges(Jdbi jdbi, int count) {
        jdbi.useHandle(h -> insertChanges(h, count));
    }

    private static void insertChanges(Handle h, int count) {
        h.createUpdate("INSERT INTO model_changes (business_id, kind, record_id, connector_id, external_id, operation,"
                + " changed_at) SELECT gen_random_uuid(), 'appointment', gen_random_uuid(), 'example', i::text,"
                + " 'created', now() FROM generate_series(1, :n) i").bind("n", count).execute();
    }

    private static void moveToChange(Jdbi jdbi, String which) {
        jdbi.useHandle(h -> h.execute("UPDATE app_webhook_fanout SET (xid, change_id) = (SELECT xid, id"
                + " FROM model_changes " + which + " LIMIT 1)"));
    }
}
