package io.bookinghub.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub killed with SIGKILL leaves its embedded PostgreSQL behind (zonky starts it through pg_ctl, so it is not
 * the JVM's child); the next start used to wait a minute and fail with "connection refused". The "hub" here is
 * a child JVM that opens the embedded database exactly as the hub does ({@link EmbeddedDatabaseChild}).
 */
class EmbeddedServerGuardTest {
    /** The watchdog polls the hub's pid once a second; this only bounds a broken run. */
    private static final long EXIT_WAIT_SECONDS = 60;

    @Test
    void theWatchdogStopsTheServerOfAKilledHub(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Child hub = Child.start(data, true, "before the kill");
        hub.process.destroyForcibly().waitFor();

        ProcessHandle postmaster = ProcessHandle.of(hub.postmasterPid).orElse(null);
        if (postmaster != null) {
            postmaster.onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(hub.postmasterPid).filter(ProcessHandle::isAlive)).as("postmaster after kill -9")
                .isEmpty();
        assertRestartKeeps(data, "before the kill");
    }

    @Test
    void aServerLeftRunningByADeadHubIsStoppedAtTheNextStart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Child hub = Child.start(data, false, "left behind");
        hub.process.destroyForcibly().waitFor();
        ProcessHandle orphan = ProcessHandle.of(hub.postmasterPid).orElseThrow();
        assertThat(orphan.isAlive()).as("without the watchdog the server outlives its hub").isTrue();

        assertRestartKeeps(data, "left behind");
        assertThat(orphan.isAlive()).as("the orphan was stopped, not left beside the new server").isFalse();
    }

    @Test
    void aDirectoryALiveHubUsesIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Child hub = Child.start(data, true, "still running");
        try {
            assertThatThrownBy(() -> HubDatabase.open(EmbeddedConfigs.withDataDirectory(data)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running hub process")
                    .hasMessageContaining("database.embedded.dataDirectory");
            assertThat(ProcessHandle.of(hub.postmasterPid).filter(ProcessHandle::isAlive))
                    .as("the other hub's server is untouched").isPresent();
        } finally {
            hub.process.destroy();
            hub.process.waitFor();
            EmbeddedServerGuard.stopOrphan(data, Duration.ofSeconds(EXIT_WAIT_SECONDS));
        }
    }

    private static void assertRestartKeeps(Path data, String note) throws Exception {
        HubDatabase restarted = HubDatabase.open(EmbeddedConfigs.withDataDirectory(data));
        try (Connection c = DriverManager.getConnection(restarted.jdbcUrl(), restarted.user(), restarted.password());
                ResultSet rs = c.createStatement().executeQuery("SELECT note FROM kept")) {
            List<String> notes = new ArrayList<>();
            while (rs.next()) {
                notes.add(rs.getString(1));
            }
            assertThat(notes).as("the committed row survived").containsExactly(note);
        } finally {
            restarted.stop();
        }
    }

    private record Child(Process process, long postmasterPid) {
        static Child start(Path data, boolean stopWithHub, String note) throws Exception {
            Process process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    EmbeddedDatabaseChild.class.getName(), data.toString(), Boolean.toString(stopWithHub), note))
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("READY ")) {
                    // Keep draining so the child never blocks on a full pipe.
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "child-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new Child(process, Long.parseLong(line.substring("READY ".length()).trim()));
                }
                seen.append(line).append('\n');
            }
            throw new AssertionError("the child exited before it was ready:\n" + seen);
        }
    }
}
