package io.bookinghub.hub.db;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL tied to the hub process that started it.
 *
 * <p>zonky starts the server through {@code pg_ctl}, so it is not a child the JVM can take down with it: after a
 * {@code kill -9} (or the OOM killer) of the hub the server lives on, re-parented, holding {@code postmaster.pid}.
 * The next start then waited a minute and failed with "connection refused", the real cause ("lock file
 * postmaster.pid already exists") only visible at DEBUG. Two defences:
 * <ul>
 *   <li>{@link #stopOrphan} runs before every start. zonky holds an OS file lock on {@code epg-lock} in the data
 *       directory for as long as its JVM lives, so a lock we can take means no living hub owns the directory, and
 *       a postmaster still running there (its pid file names this directory and a live {@code postgres}
 *       process) was left behind by a dead one: it is asked for a fast shutdown, which rolls back whatever the
 *       dead hub had in flight, and the start goes on. A lock we cannot take means another live hub uses the
 *       directory: start-up stops with that message instead of waiting for a port.</li>
 *   <li>{@link #watch} starts a tiny {@code /bin/sh} watchdog (not a child of PostgreSQL, not killed with the
 *       JVM) that waits for the hub's pid to disappear and then asks the server for a fast shutdown (SIGINT),
 *       so a killed hub does not leave a server running until the next start. An orderly stop ends the watchdog
 *       first. Where there is no {@code /bin/sh} (Windows) only the first defence applies.</li>
 * </ul>
 */
final class EmbeddedServerGuard {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServerGuard.class);
    /** zonky's lock file; its name is zonky's ({@code EmbeddedPostgres.LOCK_FILE_NAME}). */
    static final String ZONKY_LOCK_FILE = "epg-lock";
    static final String PID_FILE = "postmaster.pid";
    private static final Path SHELL = Path.of("/bin/sh");

    private EmbeddedServerGuard() {
    }

    /**
     * Stops a postmaster that a dead hub left running on {@code dataDirectory}; refuses when a live process
     * holds the directory. Returns the pid that was stopped, if any.
     */
    static Optional<Long> stopOrphan(Path dataDirectory, Duration wait) {
        Optional<Postmaster> running = Postmaster.read(dataDirectory);
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Path lockFile = dataDirectory.resolve(ZONKY_LOCK_FILE);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new IllegalStateException("The embedded PostgreSQL data directory " + dataDirectory.toAbsolutePath()
                        + " is in use by another running hub process (PostgreSQL pid " + running.get().pid()
                        + "); give each hub its own database.embedded.dataDirectory, or let several hubs share an"
                        + " external PostgreSQL through database.url");
            }
            try (lock) {
                Postmaster orphan = running.get();
                LOG.warn("A PostgreSQL server (pid {}) is still running on {}, left behind by a hub that did not stop"
                        + " cleanly; stopping it (fast shutdown) before starting the embedded database",
                        orphan.pid(), dataDirectory.toAbsolutePath());
                orphan.stopFast(wait);
                LOG.info("Stopped the PostgreSQL server (pid {}) left behind by the previous hub", orphan.pid());
                return Optional.of(orphan.pid());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check " + lockFile.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Null when another process holds the lock, or this JVM does (two hubs in one test JVM). */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            return null;
        }
    }

    /**
     * Starts the watchdog for the server running on {@code dataDirectory}; empty where no shell is available or
     * the server's pid file cannot be read. The caller destroys it before an orderly stop.
     */
    static Optional<Process> watch(Path dataDirectory) {
        Optional<Postmaster> postmaster = Postmaster.read(dataDirectory);
        if (postmaster.isEmpty() || !Files.isExecutable(SHELL)) {
            return Optional.empty();
        }
        // $1 hub pid, $2 postmaster pid, $3 data directory. `kill -0` only asks whether the pid exists. The pid file
        // is read again at the end so that a server a newer hub started meanwhile (another pid) is left alone.
        String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
                + "{ read -r running < \"$3/" + PID_FILE + "\"; } 2>/dev/null; "
                + "[ \"$running\" = \"$2\" ] && kill -INT \"$2\"";
        try {
            Process watchdog = new ProcessBuilder(SHELL.toString(), "-c", script, "hub-postgres-watchdog",
                    Long.toString(ProcessHandle.current().pid()), Long.toString(postmaster.get().pid()),
                    dataDirectory.toAbsolutePath().toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(watchdog);
        } catch (IOException e) {
            LOG.warn("Could not start the watchdog that stops the embedded PostgreSQL if the hub dies: {}",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The server a {@code postmaster.pid} describes, when that process is alive and serves this directory. */
    record Postmaster(ProcessHandle process, Path dataDirectory) {
        long pid() {
            return process.pid();
        }

        static Optional<Postmaster> read(Path dataDirectory) {
            List<String> lines;
            try {
                lines = Files.readAllLines(dataDirectory.resolve(PID_FILE), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + dataDirectory.resolve(PID_FILE).toAbsolutePath()
                        + ": " + e.getMessage(), e);
            }
            // Line 1 is the postmaster's pid, line 2 its data directory (PostgreSQL's pidfile.h).
            if (lines.size() < 2) {
                return Optional.empty();
            }
            long pid;
            try {
                pid = Long.parseLong(lines.get(0).trim());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            // A stale file whose pid now belongs to another program: PostgreSQL itself replaces such a file.
            if (process.isEmpty() || !servesDirectory(process.get(), lines.get(1).trim(), dataDirectory)) {
                return Optional.empty();
            }
            return Optional.of(new Postmaster(process.get(), dataDirectory));
        }

        private static boolean servesDirectory(ProcessHandle process, String fileDirectory, Path dataDirectory) {
            boolean isPostgres = process.info().command()
                    .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                    .orElse(true);
            try {
                return isPostgres && Files.isSameFile(Path.of(fileDirectory), dataDirectory);
            } catch (IOException e) {
                return false;
            }
        }

        /** SIGINT is PostgreSQL's fast shutdown; Java can only send SIGTERM (smart: waits for clients). */
        void stopFast(Duration wait) {
            boolean signalled = false;
            try {
                signalled = new ProcessBuilder("kill", "-INT", Long.toString(pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor() == 0;
            } catch (IOException e) {
                // No kill command on this system: fall back to SIGTERM below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping PostgreSQL pid " + pid(), e);
            }
            if (!signalled) {
                process.destroy();
            }
            try {
                process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("The PostgreSQL server (pid " + pid() + ") left running on "
                        + dataDirectory.toAbsolutePath() + " by a previous hub did not stop within " + wait
                        + "; stop it (kill -INT " + pid() + ") and start the hub again", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Could not wait for PostgreSQL pid " + pid() + " to stop", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping PostgreSQL pid " + pid(), e);
            }
        }
    }
}
