package io.bookinghub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.function.Function;

/** What every benchmark's {@code main} does the same way: read its options, check the hub jar, say where it ran. */
final class BenchRun {
    private BenchRun() {
    }

    /** The options, or the problem and the usage on stderr and exit code 2. */
    static <T> T options(String[] args, Function<String[], T> parse, String usage) {
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            throw e;
        }
    }

    static void requireHubJar(Path hubJar) {
        if (!Files.isRegularFile(hubJar)) {
            throw new IllegalStateException("no hub jar at " + hubJar.toAbsolutePath()
                    + " (build it: ./mvnw -q -B -pl bench -am package -DskipTests)");
        }
    }

    /** The machine line every run starts with: CPUs, Java, date and the load average before it. */
    static void printMachine() {
        System.out.printf(Locale.ROOT, "machine: %d CPUs, java %s (%s), %s; load average before: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), LocalDate.now(), loadAverage());
    }

    /** The 1, 5 and 15 minute load averages (other builds running distort every wall time). */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
