package io.bookinghub.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The writer acknowledges only flushed commits, whatever the database's own setting. */
class InboxWriterTest {

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
        InboxWriter writer = new InboxWriter(jdbi, Clock.systemUTC(), new WebhookStore(jdbi), 10, 10);
        writer.start();
        try {
            return writer.forcesSynchronousCommit();
        } finally {
            writer.stop();
        }
    }
}
