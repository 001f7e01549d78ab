package io.bookinghub.hub.testing;

import io.bookinghub.hub.db.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * One real embedded PostgreSQL per test JVM (started on first use), and a fresh database per caller so
 * test classes never see each other's rows.
 */
public final class TestDatabase {
    private static EmbeddedPostgres server;

    private final String jdbcUrl;

    private TestDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // JVM is exiting anyway.
                }
            }));
        }
        return server;
    }

    /** A new, empty database (no schema). */
    public static TestDatabase createEmpty() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(server().getJdbcUrl("postgres", "postgres"))) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new TestDatabase(server().getJdbcUrl("postgres", name));
    }

    /** A new database with every migration applied. */
    public static TestDatabase createMigrated() {
        TestDatabase db = createEmpty();
        Flyway.configure().dataSource(db.jdbcUrl, "postgres", null).locations("classpath:db/migration").load()
                .migrate();
        return db;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** For DropwizardAppExtension: ConfigOverride.config("database.url", db.jdbcUrl()). */
    public DatabaseConfig config() {
        DatabaseConfig config = new DatabaseConfig();
        config.setUrl(jdbcUrl);
        return config;
    }

    public Jdbi jdbi() {
        Jdbi jdbi = Jdbi.create(jdbcUrl, "postgres", "");
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.installPlugin(new PostgresPlugin());
        return jdbi;
    }
}
