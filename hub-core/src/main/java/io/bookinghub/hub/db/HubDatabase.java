package io.bookinghub.hub.db;

import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the database the hub talks to: the configured server, or an embedded PostgreSQL (real
 * binaries from Maven Central) whose data directory is kept between restarts.
 */
public final class HubDatabase implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(HubDatabase.class);
    static final String EMBEDDED_DATABASE = "hub";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private HubDatabase(String jdbcUrl, String user, String password, EmbeddedPostgres embedded) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** Starts the embedded server if no url is configured; the caller stops it through {@link #stop()}. */
    public static HubDatabase open(DatabaseConfig config) {
        if (!config.isEmbedded()) {
            JdbcUrls.Parsed parsed = JdbcUrls.parse(config.getUrl());
            return new HubDatabase(parsed.jdbcUrl(),
                    config.getUser() != null && !config.getUser().isBlank() ? config.getUser() : parsed.user().orElse(null),
                    config.getPassword() != null && !config.getPassword().isBlank() ? config.getPassword()
                            : parsed.password().orElse(null),
                    null);
        }
        try {
            Files.createDirectories(config.getEmbedded().getDataDirectory());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(config.getEmbedded().getDataDirectory())
                    .setCleanDataDirectory(false)
                    .setPort(config.getEmbedded().getPort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky turns synchronous_commit off (it is built for tests); the hub acknowledges
                    // webhooks only after their commit, which means nothing unless the commit is flushed.
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            String adminUrl = pg.getJdbcUrl("postgres", "postgres");
            try (Connection c = DriverManager.getConnection(adminUrl)) {
                boolean exists;
                try (var rs = c.createStatement().executeQuery(
                        "SELECT 1 FROM pg_database WHERE datname = '" + EMBEDDED_DATABASE + "'")) {
                    exists = rs.next();
                }
                if (!exists) {
                    c.createStatement().execute("CREATE DATABASE " + EMBEDDED_DATABASE);
                }
            }
            LOG.info("Embedded PostgreSQL running on port {} with data in {}", pg.getPort(),
                    config.getEmbedded().getDataDirectory().toAbsolutePath());
            return new HubDatabase(pg.getJdbcUrl("postgres", EMBEDDED_DATABASE), "postgres", null, pg);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in "
                    + config.getEmbedded().getDataDirectory().toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("Embedded PostgreSQL started but is unusable: " + e.getMessage(), e);
        }
    }

    public DataSourceFactory dataSourceFactory(DatabaseConfig config) {
        DataSourceFactory factory = new DataSourceFactory();
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
        return factory;
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

    @Override
    public void start() {
    }

    @Override
    public void stop() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
