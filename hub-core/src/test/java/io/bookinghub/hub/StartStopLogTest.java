package io.bookinghub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer sees: {@code java -jar booking-hub.jar server config.yml} with the shipped config.yml and
 * the embedded PostgreSQL, stopped with SIGTERM (what Ctrl-C and a service manager do), logs no WARN or ERROR
 * line at start-up or shutdown, and leaves no PostgreSQL running.
 *
 * <p>It runs the hub as a child process because the shutdown path under test is the JVM's: shutdown hooks run
 * concurrently, and one that stopped PostgreSQL beside Jetty's stop made the webhook workers log
 * "terminating connection due to administrator command" (57P01) on every stop.
 */
class StartStopLogTest {
    private static final String ADMIN_TOKEN = "start-stop-admin-token-0123456789abcdef";
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theShippedConfigStartsAndStopsWithoutWarningsOrErrors(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("hub.log");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                HubApplication.class.getName(), "server", Path.of("..", "config.yml").toAbsolutePath().toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("HUB_DATA_DIR", dir.resolve("data").toString());
        env.put("HUB_PORT", Integer.toString(port));
        env.put("HUB_ADMIN_PORT", Integer.toString(freePort()));
        env.put("HUB_PLUGINS_DIR", System.getProperty("hub.plugins.dir", "../plugins"));
        // As in production: with neither set the hub generates them, and says so once (a WARN by design).
        env.put("HUB_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("HUB_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        Process hub = builder.start();
        hub.getOutputStream().close();
        try {
            awaitReady(hub, port, log);
            hub.destroy(); // SIGTERM
            assertThat(hub.waitFor(120, TimeUnit.SECONDS)).as("the hub stops").isTrue();
        } finally {
            hub.destroyForcibly();
        }

        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).as("start-up got as far as serving requests").contains("Started oejs.Server");
        assertThat(output.lines().filter(StartStopLogTest::isWarningOrError).toList())
                .as("WARN/ERROR lines in\n%s", output).isEmpty();
        assertThat(output).doesNotContain("Exception");
        assertThat(hub.exitValue()).as("exit status of SIGTERM after an orderly stop").isEqualTo(143);
        // pg_ctl stop removes postmaster.pid once PostgreSQL has shut down.
        assertThat(dir.resolve("data/postgres/postmaster.pid")).as("the embedded PostgreSQL was stopped")
                .doesNotExist();
    }

    /** Dropwizard's console format starts each event with its level; logback's own status lines use "|-". */
    private static boolean isWarningOrError(String line) {
        return line.startsWith("WARN") || line.startsWith("ERROR") || line.contains("|-WARN")
                || line.contains("|-ERROR");
    }

    private static void awaitReady(Process hub, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited with " + hub.exitValue() + "\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/admin/businesses"))
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
        throw new IllegalStateException("the hub did not answer within " + START_DEADLINE + "\n" + Files.readString(log));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
