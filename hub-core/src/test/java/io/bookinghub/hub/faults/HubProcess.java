package io.bookinghub.hub.faults;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hub as a separate operating-system process, so a test can kill it with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux) the way a crashed or OOM-killed node dies: no shutdown hook,
 * no Jetty stop, no worker drain.
 *
 * <p>It runs {@code java -cp <this JVM's class path> io.bookinghub.hub.HubApplication server config.yml} with
 * the test JVM's own java binary, so it is the code under test. Under surefire {@code java.class.path} is
 * its manifest-only booter jar, whose manifest lists the whole test class path; {@code -cp} honours it.
 * Both connectors are bound to loopback on free ports; the database is the one the test owns; the plugins
 * directory holds a copy of the Booksy zip the reactor built; logging is WARN into {@code hub.log} in the
 * process's directory, which {@link #logTail()} gives back for failure messages.
 */
final class HubProcess implements AutoCloseable {
    static final String ADMIN_TOKEN = "faults-admin-token-0123456789abcdef";
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * What differs between the hubs of a test.
     *
     * @param name      directory and log name, e.g. "hub-a"
     * @param workers   webhook worker threads
     * @param lease     how long a claim lasts (Dropwizard duration, e.g. "3s")
     * @param claimBatchSize events claimed per worker round trip
     * @param databaseUser   the role the hub connects as (a test can tell two hubs' writes apart by it)
     */
    record Settings(String name, int workers, String lease, int claimBatchSize, String databaseUser) {
        Settings {
            requireNonNull(name, "name is null");
            requireNonNull(lease, "lease is null");
            requireNonNull(databaseUser, "databaseUser is null");
        }

        Settings(String name, int workers, String lease, int claimBatchSize) {
            this(name, workers, lease, claimBatchSize, "postgres");
        }
    }

    private final String name;
    private final Path dir;
    private final Process process;
    private final int port;

    private HubProcess(String name, Path dir, Process process, int port) {
        this.name = name;
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a hub and waits until its admin API answers.
     *
     * @param root    a directory the test owns; the hub gets {@code root/<name>}
     * @param keyFile the encryption key file; hubs sharing a database must share it (connection secrets are
     *                encrypted with it)
     */
    static HubProcess start(Path root, Settings settings, String jdbcUrl, Path keyFile)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(root.resolve(settings.name()));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path built = Path.of(System.getProperty("hub.plugins.dir", "../plugins"));
        int copied = 0;
        try (DirectoryStream<Path> zips = Files.newDirectoryStream(built, "booksy-connector-*.zip")) {
            for (Path zip : zips) {
                Files.copy(zip, plugins.resolve(zip.getFileName()));
                copied++;
            }
        }
        if (copied == 0) {
            throw new IllegalStateException("no booksy-connector-*.zip in " + built.toAbsolutePath()
                    + " (package connectors/booksy first, e.g. ./mvnw -o verify)");
        }
        int port = freePort();
        int adminPort = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, config(settings, port, adminPort, jdbcUrl, plugins, dir, keyFile),
                StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small and quick to start: up to three JVMs and PostgreSQL share two cores.
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "io.bookinghub.hub.HubApplication", "server", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile());
        builder.environment().put("HUB_ADMIN_TOKEN", ADMIN_TOKEN);
        Process process = builder.start();
        process.getOutputStream().close();
        // A test JVM that dies (or is killed by surefire) must not leave hubs running against nothing.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, settings.name() + "-reaper"));
        HubProcess hub = new HubProcess(settings.name(), dir, process, port);
        try {
            hub.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            hub.kill();
            throw e;
        }
        return hub;
    }

    /** Loopback only, no request log, WARN, the sync scheduler off, fast polling. */
    private static String config(Settings s, int port, int adminPort, String jdbcUrl, Path plugins, Path dir,
            Path keyFile) {
        return """
                server:
                  applicationConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  adminConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  requestLog:
                    appenders: []
                logging:
                  level: WARN
                  loggers:
                    io.bookinghub: WARN
                database:
                  url: %s
                  user: %s
                  migrateOnStart: true
                  maxPoolSize: 8
                webhooks:
                  workerThreads: %d
                  pollInterval: 50ms
                  lease: %s
                  claimBatchSize: %d
                  initialBackoff: 1s
                  maxBackoff: 2s
                sync:
                  schedulerEnabled: false
                plugins:
                  directory: %s
                security:
                  adminToken: ${HUB_ADMIN_TOKEN}
                  keyFile: %s
                """.formatted(port, adminPort, jdbcUrl, s.databaseUser(), s.workers(), s.lease(), s.claimBatchSize(),
                plugins, keyFile);
    }

    private static int freePort() {
        // Another process could take the port before the hub binds it; the hub then fails to start, and
        // the start error shows its log.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + logTail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/businesses"))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not answer within " + START_DEADLINE + "\n" + logTail());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to finish, stop or release anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    /** The end of the hub's log, for assertion messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("hub.log"), StandardCharsets.UTF_8);
            return "---- " + name + " log (" + dir.resolve("hub.log") + ", last 80 lines) ----\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log for " + name + ": " + e + ")";
        }
    }

    /** Stops the hub gracefully if it is still running (SIGTERM, then SIGKILL after a while). */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
