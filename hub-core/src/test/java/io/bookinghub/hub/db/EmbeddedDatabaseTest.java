package io.bookinghub.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
            // zonky's default is off; the hub's acknowledgements rely on flushed commits.
            try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password());
                    ResultSet rs = c.createStatement().executeQuery("SHOW synchronous_commit")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        } finally {
            second.stop();
        }
    }
}
