package io.bookinghub.hub.faults;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL server owned by a test, on a fixed port and data directory so that it can be stopped (also
 * crash-like) and started again in place while hub processes keep pointing at the same URL.
 *
 * <p>Runs with {@code synchronous_commit = on}: zonky turns it off, and a crash would then lose commits the
 * hub has already acknowledged, which is exactly what the fault tests look for.
 */
final class RestartablePostgres implements AutoCloseable {
    static final String DATABASE = "hub";
    static final String SUPERUSER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Starts a new server in {@code dataDirectory} (initialised on first start) with a database "hub". */
    static RestartablePostgres start(Path dataDirectory) throws IOException {
        RestartablePostgres pg = new RestartablePostgres(requireNonNull(dataDirectory, "dataDirectory is null"),
                freePort());
        pg.startServer();
        try (Connection c = DriverManager.getConnection(pg.server.getJdbcUrl("postgres", "postgres"))) {
            c.createStatement().execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the hub database", e);
        }
        return pg;
    }

    private void startServer() throws IOException {
        Files.createDirectories(dataDirectory);
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /** Runs SQL statements in the hub database as the superuser. */
    void execute(String... statements) throws SQLException {
        try (Connection c = connect()) {
            for (String sql : statements) {
                c.createStatement().execute(sql);
            }
        }
    }

    /** The hub's database; the URL stays valid across restarts. It names no user: each hub says its own. */
    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    /** A connection to the hub database as the superuser. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), SUPERUSER, "");
    }

    int port() {
        return port;
    }

    /**
     * Stops the server the way a crash would: SIGQUIT to the postmaster is PostgreSQL's immediate shutdown
     * (what {@code pg_ctl stop -m immediate} sends; pg_ctl itself refuses to run as root): every backend
     * quits at once without a checkpoint, so the next start runs crash recovery from the WAL.
     */
    synchronized void crash() throws IOException, InterruptedException {
        if (server == null) {
            throw new IllegalStateException("not running");
        }
        // The postmaster's pid is the first line of postmaster.pid.
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + pid));
        Process kill = new ProcessBuilder(List.of("kill", "-QUIT", Long.toString(pid))).redirectErrorStream(true)
                .start();
        String out = new String(kill.getInputStream().readAllBytes());
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -QUIT " + pid + " failed: " + out);
        }
        try {
            postmaster.onExit().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the postmaster did not quit after SIGQUIT", e);
        }
        // Releases zonky's lock on the data directory; its own "pg_ctl stop" fails (nothing runs) and is
        // only logged, and the data directory is kept (cleanDataDirectory is off).
        server.close();
        server = null;
    }

    /** Starts the server again on the same port and data directory. */
    synchronized void restart() throws IOException {
        if (server != null) {
            throw new IllegalStateException("still running");
        }
        startServer();
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
