package io.bookinghub.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default mode: no database installed, data kept in a folder across restarts. */
class EmbeddedDatabaseTest {
    @Test
    void embeddedDatabaseKeepsDataAcrossRestartsAndMigrationsRunOnce(@TempDir Path dir) throws Exception {
        DatabaseConfig config = EmbeddedConfigs.withDataDirectory(dir.resolve("pg"));

        HubDatabase first = HubDatabase.open(config);
        assertThat(first.isEmbedded()).isTrue();
        assertThat(Migrations.migrate(first).migrationsExecuted).isPositive();
        try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), first.password())) {
            c.createStatement().execute("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) VALUES "
                    + "(gen_random_uuid(), 'Kept', 'Europe/Warsaw', now(), now())");
        }
        first.stop();

        HubDatabase second = HubDatabase.open(config);
        try {
            assertThat(Migrations.migrate(second).migrationsExecuted).isZero();
            try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password());
                    ResultSet rs = c.createStatement().executeQuery("SELECT name FROM businesses")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Kept");
            }
            // zonky starts the server with -F and synchronous_commit off; the hub's acknowledgements rely on
            // flushed commits, and on full-page images to repair a page torn by a power loss.
            try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password());
                    ResultSet rs = c.createStatement().executeQuery("SELECT name, setting, source FROM pg_settings"
                            + " WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name")) {
                List<String> settings = new ArrayList<>();
                while (rs.next()) {
                    settings.add(rs.getString(1) + "=" + rs.getString(2) + " (" + rs.getString(3) + ")");
                }
                assertThat(settings).containsExactly("fsync=on (command line)", "full_page_writes=on (command line)",
                        "synchronous_commit=on (command line)");
            }
            assertThat(second.checkDurability(Jdbi.create(
                    () -> DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password()))))
                    .isEmpty();
        } finally {
            second.stop();
        }
    }

    @Test
    void anExternalDatabaseWithoutDurableCommitsIsNamedNotRefused() {
        // The shared test server is zonky's default: fsync and synchronous_commit off, full_page_writes on.
        TestDatabase external = TestDatabase.createEmpty();
        HubDatabase database = HubDatabase.open(external.config());
        assertThat(database.isEmbedded()).isFalse();
        assertThat(database.checkDurability(external.jdbi())).containsExactly("fsync = off", "synchronous_commit = off");
    }
}
