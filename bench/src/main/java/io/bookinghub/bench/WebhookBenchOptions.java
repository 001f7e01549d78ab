package io.bookinghub.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of {@link WebhookBenchmark}.
 *
 * @param events       measured requests per target (distinct signed events for the webhook target)
 * @param warmupEvents unmeasured requests per target first, to warm both JITs and the connection pools
 * @param senders      concurrent senders (threads of a fixed pool, each with one request in flight)
 * @param maxDuration  a phase stops sending when this has passed, even before {@code events}
 * @param workers      the hub's webhook worker threads ({@code webhooks.workerThreads})
 * @param hubJar       the hub's shaded jar
 * @param plugins      directory holding {@code booksy-connector-*.zip}
 * @param hubXmx       {@code -Xmx} of the hub JVM
 * @param hubCpus      when set, the hub (and its PostgreSQL) run under {@code taskset -c <hubCpus>}
 * @param hubJvmArgs   further JVM options of the hub, split on spaces (e.g. a flight recording)
 * @param baseline     how the database's single-commit rate is measured (pgbench when installed, else JDBC)
 * @param durableOnly  refuse to measure unless fsync, synchronous_commit and full_page_writes are all on
 * @param tracing      whether the hub traces (OTLP export to a sink in the bench JVM) or runs with tracing off
 */
record WebhookBenchOptions(int events, int warmupEvents, int senders, Duration maxDuration, int workers,
        Path hubJar, Path plugins, String hubXmx, String hubCpus, List<String> hubJvmArgs,
        SingleCommitBaseline.Tool baseline, boolean durableOnly, boolean tracing) {

    static final String USAGE = """
            usage: WebhookBenchmark [--events N] [--warmup-events N] [--senders N] [--max-duration ISO-8601]
                                    [--workers N] [--hub-jar PATH] [--plugins DIR] [--hub-xmx SIZE]
                                    [--hub-cpus LIST] [--hub-jvm-args "OPTS"] [--baseline auto|pgbench|jdbc]
                                    [--durability required|any] [--tracing off|on]
              defaults: --events 20000 --warmup-events 30000 --senders 16 --max-duration PT120S --workers 2
                        --hub-jar hub-core/target/booking-hub.jar --plugins plugins --hub-xmx 512m
                        --baseline auto --durability required --tracing off""";

    private static final Set<String> FLAGS = Set.of("--events", "--warmup-events", "--senders", "--max-duration",
            "--workers", "--hub-jar", "--plugins", "--hub-xmx", "--hub-cpus", "--hub-jvm-args",
            "--baseline", "--durability", "--tracing");

    WebhookBenchOptions {
        if (events < 1 || warmupEvents < 0 || senders < 1 || workers < 0 || maxDuration.isNegative()
                || maxDuration.isZero()) {
            throw new IllegalArgumentException("events, senders and max duration must be positive; "
                    + "warm-up events and workers not negative");
        }
        // Signatures are checked against a 300 s tolerance, and every phase is signed just before it runs.
        requireNonNull(baseline, "baseline is null");
        if (maxDuration.compareTo(Duration.ofSeconds(240)) > 0) {
            throw new IllegalArgumentException("--max-duration must be at most PT240S (webhook timestamp tolerance)");
        }
    }

    static WebhookBenchOptions parse(String[] args) {
        Map<String, String> given = BenchArgs.valued(args, FLAGS);
        return new WebhookBenchOptions(
                Integer.parseInt(given.getOrDefault("--events", "20000")),
                Integer.parseInt(given.getOrDefault("--warmup-events", "30000")),
                Integer.parseInt(given.getOrDefault("--senders", "16")),
                Duration.parse(given.getOrDefault("--max-duration", "PT120S")),
                Integer.parseInt(given.getOrDefault("--workers", "2")),
                Path.of(given.getOrDefault("--hub-jar", "hub-core/target/booking-hub.jar")),
                Path.of(given.getOrDefault("--plugins", "plugins")),
                given.getOrDefault("--hub-xmx", "512m"),
                given.get("--hub-cpus"),
                BenchArgs.words(given, "--hub-jvm-args"),
                SingleCommitBaseline.Tool.valueOf(given.getOrDefault("--baseline", "auto").toUpperCase(Locale.ROOT)),
                switch (given.getOrDefault("--durability", "required")) {
                    case "required" -> true;
                    case "any" -> false;
                    default -> throw new IllegalArgumentException("--durability must be required or any");
                },
                switch (given.getOrDefault("--tracing", "off")) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--tracing must be off or on");
                });
    }
}
