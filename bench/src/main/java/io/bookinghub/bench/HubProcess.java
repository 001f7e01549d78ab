package io.bookinghub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole hub as a child JVM, started the way it is deployed: {@code java -jar booking-hub.jar server
 * config.yml}, with an embedded PostgreSQL whose data lives in a temporary directory, the Booksy plugin zip
 * copied into a temporary plugins directory, a known {@code HUB_ADMIN_TOKEN} and both connectors bound to
 * the loopback interface. Its log goes to {@code hub.log} in that directory; everything is deleted on close
 * unless the hub failed.
 */
final class HubProcess implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofMinutes(3);

    private final Path dir;
    private final Process process;
    private final int port;
    private final int adminPort;
    private final String adminToken;
    private final List<String> command;
    private boolean failed;

    private HubProcess(Path dir, Process process, int port, int adminPort, String adminToken, List<String> command) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.adminToken = adminToken;
        this.command = command;
    }

    static HubProcess start(WebhookBenchOptions o) throws IOException, InterruptedException {
        if (!Files.isRegularFile(o.hubJar())) {
            throw new IllegalStateException("no hub jar at " + o.hubJar().toAbsolutePath()
                    + " (build it: ./mvnw -q -B -pl bench -am package -DskipTests)");
        }
        Path dir = Files.createTempDirectory("webhook-bench-");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        int copied = 0;
        try (DirectoryStream<Path> zips = Files.newDirectoryStream(o.plugins(), "booksy-connector-*.zip")) {
            for (Path zip : zips) {
                Files.copy(zip, plugins.resolve(zip.getFileName()));
                copied++;
            }
        }
        if (copied == 0) {
            throw new IllegalStateException("no booksy-connector-*.zip in " + o.plugins().toAbsolutePath()
                    + " (the connectors/booksy build puts it there)");
        }
        int port = freePort();
        int adminPort = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, config(dir, port, adminPort, o.workers()), StandardCharsets.UTF_8);

        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        String adminToken = "bench-" + Base64.getUrlEncoder().withoutPadding().encodeToString(token);

        List<String> command = new ArrayList<>();
        if (o.hubCpus() != null) {
            command.addAll(List.of("taskset", "-c", o.hubCpus()));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + o.hubXmx()));
        command.addAll(o.hubJvmArgs());
        command.addAll(List.of("-jar", o.hubJar().toAbsolutePath().toString(), "server", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile());
        builder.environment().put("HUB_ADMIN_TOKEN", adminToken);
        Process process = builder.start();
        process.getOutputStream().close();
        HubProcess hub = new HubProcess(dir, process, port, adminPort, adminToken, command);
        try {
            hub.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            hub.failed = true;
            hub.close();
            throw e;
        }
        return hub;
    }

    /**
     * Loopback only, no request log (a console line per request would be measured as hub work), warnings
     * only, embedded PostgreSQL under the temporary directory, the scheduler off (no syncs run).
     */
    private static String config(Path dir, int port, int adminPort, int workers) {
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
                  migrateOnStart: true
                  maxPoolSize: 16
                  embedded:
                    dataDirectory: %s
                    port: 0
                webhooks:
                  workerThreads: %d
                sync:
                  schedulerEnabled: false
                plugins:
                  directory: %s
                security:
                  adminToken: ${HUB_ADMIN_TOKEN}
                  keyFile: %s
                """.formatted(port, adminPort, dir.resolve("postgres"), workers, dir.resolve("plugins"),
                dir.resolve("encryption.key"));
    }

    private static int freePort() throws IOException {
        // Another process could take the port before the hub binds it; the hub would then fail to start
        // and the bench says so.
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited with " + process.exitValue() + "; see " + log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/businesses"))
                        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the hub did not answer within " + START_DEADLINE + "; see " + log());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String adminBaseUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    /** The hub-admin API key; a secret, never printed. */
    String adminToken() {
        return adminToken;
    }

    List<String> command() {
        return command;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return dir.resolve("hub.log");
    }

    void markFailed() {
        failed = true;
    }

    /** Stops the hub gracefully (Dropwizard stops Jetty, the workers and the embedded PostgreSQL). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                failed = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (failed) {
            System.err.println("hub files kept in " + dir + " (log: " + log() + ")");
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
