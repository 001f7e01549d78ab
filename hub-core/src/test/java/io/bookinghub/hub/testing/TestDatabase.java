package io.bookinghub.hub.testing;

import io.bookinghub.hub.db.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * One real embedded PostgreSQL per test JVM (started on first use), and a fresh database per caller so
 * test classes never see each other's rows.
 *
 * <p>Migrations run once per JVM, into a template database; {@link #createMigrated()} copies it
 * ({@code CREATE DATABASE ... TEMPLATE}), which is a file copy instead of a Flyway run per test.
 */
public final class TestDatabase {
    private static final String TEMPLATE = "t_migrated_template";
    private static EmbeddedPostgres server;
    private static boolean templateMigrated;

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
        return create("");
    }

    /** A new database with every migration applied. */
    public static TestDatabase createMigrated() {
        migrateTemplate();
        return create(" TEMPLATE " + TEMPLATE);
    }

    private static TestDatabase create(String template) {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(server().getJdbcUrl("postgres", "postgres"))) {
            c.createStatement().execute("CREATE DATABASE " + name + template);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new TestDatabase(server().getJdbcUrl("postgres", name));
    }

    private static synchronized void migrateTemplate() {
        if (templateMigrated) {
            return;
        }
        try (Connection c = DriverManager.getConnection(server().getJdbcUrl("postgres", "postgres"))) {
            c.createStatement().execute("CREATE DATABASE " + TEMPLATE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        // Flyway's own connections are closed when migrate() returns: a template must have no sessions.
        Flyway.configure().dataSource(server().getJdbcUrl("postgres", TEMPLATE), "postgres", null)
                .locations("classpath:db/migration").load().migrate();
        templateMigrated = true;
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

    /**
     * A Jdbi over its own small connection pool, as the hub has: without one every handle opened a new
     * PostgreSQL session (a process fork and a login), which was most of the time of the webhook tests. Idle
     * connections are closed after a few seconds, so databases of finished tests hold none.
     */
    public Jdbi jdbi() {
        Jdbi jdbi = Jdbi.create(dataSource());
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.installPlugin(new PostgresPlugin());
        return jdbi;
    }

    /** Inserts a business and an enabled, ACTIVE connection of it to {@code connectorId}; returns the connection's id. */
    public static UUID insertConnection(Jdbi jdbi, String connectorId) {
        UUID business = UUID.randomUUID();
        UUID connection = UUID.randomUUID();
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) "
                    + "VALUES (?, 'Salon', 'Europe/Warsaw', now(), now())", business);
            h.execute("INSERT INTO connections (id, business_id, connector_id, enabled, status, created_at, updated_at) "
                    + "VALUES (?, ?, ?, true, 'ACTIVE', now(), now())", connection, business, connectorId);
        });
        return connection;
    }

    /** A connection pool of its own, as {@link #jdbi()} uses: one per simulated hub node. */
    public DataSource dataSource() {
        PoolProperties pool = new PoolProperties();
        pool.setUrl(jdbcUrl);
        pool.setDriverClassName("org.postgresql.Driver");
        pool.setUsername("postgres");
        pool.setPassword("");
        pool.setInitialSize(0);
        pool.setMinIdle(0);
        pool.setMaxIdle(8);
        pool.setMaxActive(64);
        pool.setMaxWait(30_000);
        pool.setTestOnBorrow(true);
        pool.setValidationQuery("SELECT 1");
        pool.setTimeBetweenEvictionRunsMillis(1_000);
        pool.setMinEvictableIdleTimeMillis(3_000);
        return new DataSource(pool);
    }
}
