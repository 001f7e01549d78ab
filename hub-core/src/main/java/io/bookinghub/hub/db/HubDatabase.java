package io.bookinghub.hub.db;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the database the hub talks to: the configured server, or an embedded PostgreSQL (real
 * binaries from Maven Central) whose data directory is kept between restarts.
 *
 * <p>The embedded server is stopped by {@link #stop()}, which Dropwizard calls after everything registered
 * later (HTTP, workers, schedulers, the connection pool) has stopped. zonky's own shutdown hook is not used:
 * JVM shutdown hooks run concurrently, so on Ctrl-C or SIGTERM it stopped PostgreSQL while the hub was still
 * stopping, and the webhook workers logged "terminating connection due to administrator command" (57P01).
 * Our hook only stops PostgreSQL itself when no lifecycle will (a CLI command, a start-up that failed), and
 * otherwise waits for the lifecycle to do it in order.
 */
public final class HubDatabase implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(HubDatabase.class);
    static final String EMBEDDED_DATABASE = "hub";
    /** Longer than Jetty's graceful stop plus the workers' own bound, so an orderly stop is never cut short. */
    private static final Duration ORDERLY_STOP_WAIT = Duration.ofSeconds(90);
    /** A fast shutdown rolls back and checkpoints; a minute covers a large checkpoint on a slow disk. */
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);
    private static final List<String> DURABILITY_SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes");

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final Thread shutdownHook;
    /** Stops the embedded server if this JVM dies without stopping it; see {@link EmbeddedServerGuard}. */
    private final Process watchdog;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean managed;

    private HubDatabase(String jdbcUrl, String user, String password, EmbeddedPostgres embedded, Process watchdog) {
        this.watchdog = watchdog;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        if (embedded != null) {
            shutdownHook = new Thread(this::stopAtExit, "embedded-postgres-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /** Starts the embedded server if no url is configured; the caller stops it through {@link #stop()}. */
    public static HubDatabase open(DatabaseConfig config) {
        if (!config.isEmbedded()) {
            JdbcUrls.Parsed parsed = JdbcUrls.parse(config.getUrl());
            return new HubDatabase(parsed.jdbcUrl(),
                    config.getUser() != null && !config.getUser().isBlank() ? config.getUser() : parsed.user().orElse(null),
                    config.getPassword() != null && !config.getPassword().isBlank() ? config.getPassword()
                            : parsed.password().orElse(null),
                    null, null);
        }
        Path dataDirectory = config.getEmbedded().getDataDirectory();
        EmbeddedPostgres pg;
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedServerGuard.stopOrphan(dataDirectory, ORPHAN_STOP_WAIT);
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(config.getEmbedded().getPort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Stopped in order by stop() (see the class comment), not by zonky's concurrent hook.
                    .setRegisterShutdownHook(false)
                    // zonky is built for tests: it starts the server with -F (fsync off) and synchronous_commit
                    // off. The hub acknowledges webhooks only after their commit, which means nothing unless the
                    // commit is flushed to disk and a torn page can be repaired after a power loss. A -c option
                    // after -F wins.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in "
                    + config.getEmbedded().getDataDirectory().toAbsolutePath() + ": " + e.getMessage(), e);
        }
        // From here on the server runs: the instance (and its exit hook) owns it, and stops it on failure.
        Process watchdog = config.getEmbedded().isStopWithHub() ? EmbeddedServerGuard.watch(dataDirectory).orElse(null)
                : null;
        HubDatabase database = new HubDatabase(pg.getJdbcUrl("postgres", EMBEDDED_DATABASE), "postgres", null, pg,
                watchdog);
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"))) {
            boolean exists;
            try (var rs = c.createStatement().executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + EMBEDDED_DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                c.createStatement().execute("CREATE DATABASE " + EMBEDDED_DATABASE);
            }
        } catch (SQLException e) {
            try {
                database.stop();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("Embedded PostgreSQL started but is unusable: " + e.getMessage(), e);
        }
        LOG.info("Embedded PostgreSQL running on port {} with data in {}", pg.getPort(), dataDirectory.toAbsolutePath());
        return database;
    }

    /** The database a start-up thread opened, with its own exception (not a wrapper) when it failed. */
    public static HubDatabase await(CompletableFuture<HubDatabase> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    public DataSourceFactory dataSourceFactory(DatabaseConfig config) {
        DataSourceFactory factory = new UnproxiedStatementsFactory();
        factory.setDriverClass("org.postgresql.Driver");
        factory.setUrl(jdbcUrl);
        factory.setUser(user);
        factory.setPassword(password);
        factory.setMaxSize(config.getMaxPoolSize());
        factory.setMinSize(Math.min(2, config.getMaxPoolSize()));
        factory.setInitialSize(Math.min(2, config.getMaxPoolSize()));
        factory.setValidationQuery("/* hub health */ SELECT 1");
        factory.setCheckConnectionOnBorrow(true);
        // Dropwizard prefixes every statement with a comment naming its caller, which makes each SQL text
        // new: Jdbi then re-parses it on every execution (a measurable share of webhook intake's CPU).
        factory.setAutoCommentsEnabled(false);
        // PostgreSQL's error detail quotes row values ("Key (name)=(Anna Nowak) already exists"); the driver
        // leaves it out of exception messages, which end up in logs.
        factory.setProperties(Map.of(PGProperty.LOG_SERVER_ERROR_DETAIL.getName(), "false"));
        return factory;
    }

    /**
     * The pool hands out the driver's own statements and result sets. By default Tomcat's pool wraps each in a
     * reflective proxy (so that {@code equals} works on closed statements, which nothing here relies on), and every
     * {@code getString} of every row went through {@code Method.invoke} and its access check: 2.6 % of the request
     * threads' samples serving pages of appointments.
     */
    private static final class UnproxiedStatementsFactory extends DataSourceFactory {
        @Override
        public ManagedDataSource build(MetricRegistry metricRegistry, String name) {
            ManagedDataSource dataSource = super.build(metricRegistry, name);
            ((DataSourceProxy) dataSource).getPoolProperties().setUseStatementFacade(false);
            return dataSource;
        }
    }

    /**
     * Keeps bound values (names, phone numbers, tokens) out of the messages of Jdbi's statement exceptions,
     * which end up in logs; the SQL state and the statement's failure reason remain.
     */
    public static Jdbi withoutBoundValuesInErrors(Jdbi jdbi) {
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        return jdbi;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Called by the Dropwizard lifecycle: from now on, stopping PostgreSQL is {@link #stop()}'s job. */
    @Override
    public void start() {
        managed = true;
    }

    @Override
    public void stop() throws IOException {
        if (embedded == null) {
            return;
        }
        endWatchdog();
        try {
            embedded.close();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running; it finds the server stopped.
            }
        }
    }

    private void endWatchdog() {
        if (watchdog != null) {
            watchdog.destroy();
        }
    }

    /**
     * Reads the settings an acknowledgement's durability rests on. The embedded server is ours, so anything off
     * there stops start-up; an external server is the operator's, so it is a warning naming each setting (the
     * webhook writer still forces synchronous_commit on for its own transactions). Returns the settings that are
     * off, as {@code "fsync = off"}.
     */
    public List<String> checkDurability(Jdbi jdbi) {
        Map<String, String> values = new LinkedHashMap<>();
        jdbi.useHandle(h -> {
            for (String setting : DURABILITY_SETTINGS) {
                values.put(setting, h.createQuery("SELECT current_setting(:name)").bind("name", setting)
                        .mapTo(String.class).one());
            }
        });
        List<String> off = values.entrySet().stream().filter(e -> "off".equals(e.getValue()))
                .map(e -> e.getKey() + " = off").toList();
        if (off.isEmpty()) {
            LOG.info("Database durability: {}", values);
        } else if (isEmbedded()) {
            throw new IllegalStateException("The embedded PostgreSQL runs with " + String.join(", ", off)
                    + "; acknowledged writes would not survive a crash");
        } else {
            LOG.warn("The database runs with {}: an acknowledged webhook or booking can be lost if the database host"
                    + " crashes or loses power. Turn them on for production.", String.join(", ", off));
        }
        return off;
    }

    private void stopAtExit() {
        try {
            if (managed && !stopped.await(ORDERLY_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The hub did not stop within {}; stopping the embedded PostgreSQL anyway", ORDERLY_STOP_WAIT);
            }
            endWatchdog();
            embedded.close();
        } catch (IOException e) {
            LOG.error("Could not stop the embedded PostgreSQL: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
