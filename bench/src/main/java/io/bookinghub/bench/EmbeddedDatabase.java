package io.bookinghub.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A throw-away PostgreSQL (zonky embedded, its own OS process, so it never counts against the bench JVM's
 * heap) with the hub's migrations applied and one business row for the records to belong to.
 */
final class EmbeddedDatabase implements AutoCloseable {
    /**
     * BENCH_PG_STATEMENTS=1 loads pg_stat_statements and prints its top statements when the database closes (an
     * environment variable, so heap mode's child JVMs see it too).
     */
    private static final boolean STATEMENTS = "1".equals(System.getenv("BENCH_PG_STATEMENTS"));

    private final EmbeddedPostgres postgres;
    private final Connection connection;
    private final Jdbi jdbi;
    private final UUID businessId = UUID.randomUUID();

    private EmbeddedDatabase(EmbeddedPostgres postgres) throws SQLException {
        this.postgres = postgres;
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load()
                .migrate();
        // One sync run writes from one thread: a single long-lived connection stands in for the hub's pool,
        // so the measurement is not of opening a connection per upsert.
        this.connection = postgres.getPostgresDatabase().getConnection();
        this.jdbi = Jdbi.create(connection);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO businesses (id, name, time_zone, created_at, updated_at)"
                + " VALUES (:id, 'Bench salon', 'Europe/Warsaw', now(), now())").bind("id", businessId).execute());
    }

    static EmbeddedDatabase start() {
        EmbeddedPostgres postgres = durableServer();
        try {
            return new EmbeddedDatabase(postgres);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(postgres);
            throw new IllegalStateException("cannot prepare the bench database", e);
        }
    }

    /**
     * An embedded PostgreSQL as durable as the hub's embedded default (HubDatabase): zonky's -F and
     * synchronous_commit=off are overridden, so every commit waits for its WAL flush as in production.
     */
    static EmbeddedPostgres durableServer() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
            if (STATEMENTS) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.track", "all")
                        .setServerConfig("pg_stat_statements.track_planning", "on");
            }
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }

    /** The durability settings in force, e.g. "fsync=on synchronous_commit=on full_page_writes=on". */
    String durability() {
        return durability(jdbi);
    }

    static String durability(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT string_agg(name || '=' || setting, ' ' ORDER BY name)"
                + " FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")
                .mapTo(String.class).one());
    }

    Jdbi jdbi() {
        return jdbi;
    }

    UUID businessId() {
        return businessId;
    }

    long count(String table) {
        // Table names come from the bench's own code, never from input.
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        try {
            printStatements(jdbi);
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // The server is going away anyway; the statistics are a diagnostic, never worth a leaked server.
        }
        closeQuietly(postgres);
    }

    /**
     * PostgreSQL's own account of where its time went: the 12 statements that took longest in all, when
     * BENCH_PG_STATEMENTS=1 loaded pg_stat_statements into a {@link #durableServer()}.
     */
    static void printStatements(Jdbi jdbi) {
        if (!STATEMENTS) {
            return;
        }
        jdbi.useHandle(h -> {
            h.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            System.out.println("pg_stat_statements, top 12 by execution time:");
            h.createQuery("SELECT round(total_exec_time::numeric, 1) || ' ms (planning ' ||"
                            + " round(total_plan_time::numeric, 1) || ' ms), ' || calls || ' calls, ' || rows || ' rows, '"
                            + " || pg_size_pretty(wal_bytes) || ' WAL: ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 120)"
                            + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12")
                    .mapTo(String.class).forEach(line -> System.out.println("  " + line));
        });
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the process exits next.
        }
    }
}
