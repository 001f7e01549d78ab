package io.bookinghub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of {@link SyncBenchmark}. Defaults depend on the mode: the floor benchmark wants
 * latency and a real rate limit, the heap benchmark wants neither so it finishes quickly.
 *
 * @param mode          floor or heap
 * @param pageSize      per_page the connector asks for (the sandbox serves at most 500)
 * @param appointments  appointment counts; more than one in heap mode runs one child JVM per count
 * @param clients       generated clients
 * @param latency       sandbox delay before every response
 * @param rate          connector rate limit, requests per second
 * @param burst         connector burst (permits stored after an idle period)
 * @param unlimitedRate rate of the "limiter effectively off" comparison run in floor mode
 * @param sink          memory, postgres (batched, as the hub's run sink) or postgres-per-record
 * @param auth          api-key or oauth
 * @param sandbox       inproc or fork
 * @param xmx           -Xmx of heap-mode child JVMs
 * @param warmups       unmeasured syncs before the measured ones, to warm the JIT (heap mode: each into its
 *                      own sandbox and database, in the measuring JVM)
 * @param concurrency   the connector's maxConcurrentRequests (pages requested at once); floor mode also
 *                      measures 1 (one request at a time) as the same-run baseline when this is larger
 * @param child         set on heap-mode child JVMs: measure one size here and print a RESULT line
 */
record BenchOptions(String mode, int pageSize, List<Integer> appointments, int clients, Duration latency,
        double rate, int burst, double unlimitedRate, String sink, String auth, String sandbox, String xmx,
        int warmups, int concurrency, boolean child) {

    static final String USAGE = """
            usage: SyncBenchmark [--mode floor|heap] [--pages N] [--page-size N] [--appointments N[,N...]]
                                 [--clients N] [--latency ISO-8601] [--rate R] [--burst B] [--unlimited-rate R]
                                 [--sink memory|postgres|postgres-per-record] [--auth api-key|oauth] [--sandbox inproc|fork]
                                 [--xmx SIZE] [--warmups N] [--concurrency N]
              floor defaults: --pages 200 --page-size 100 --latency PT0.05S --rate 10 --burst 50
                              --unlimited-rate 1000 --sink memory --sandbox inproc --warmups 1
              heap defaults:  --appointments 10000,100000 --page-size 100 --latency PT0S --rate 1000
                              --burst 50 --sink memory --sandbox fork --xmx 256m --warmups 0
              both: --concurrency 8 (the connector's default maxConcurrentRequests)
              --pages sets appointments = pages * page-size unless --appointments is given.""";

    private static final Set<String> FLAGS = Set.of("--mode", "--pages", "--page-size", "--appointments",
            "--clients", "--latency", "--rate", "--burst", "--unlimited-rate", "--sink", "--auth", "--sandbox",
            "--xmx", "--warmups", "--concurrency");

    BenchOptions {
        if (!mode.equals("floor") && !mode.equals("heap")) {
            throw new IllegalArgumentException("--mode must be floor or heap");
        }
        if (!List.of("memory", "postgres", "postgres-per-record").contains(sink)) {
            throw new IllegalArgumentException("--sink must be memory, postgres or postgres-per-record");
        }
        if (!auth.equals("api-key") && !auth.equals("oauth")) {
            throw new IllegalArgumentException("--auth must be api-key or oauth");
        }
        if (!sandbox.equals("inproc") && !sandbox.equals("fork")) {
            throw new IllegalArgumentException("--sandbox must be inproc or fork");
        }
        if (auth.equals("oauth") && sandbox.equals("fork")) {
            throw new IllegalArgumentException("--auth oauth needs --sandbox inproc (tokens are minted in-process)");
        }
        if (pageSize < 1 || pageSize > 500 || clients < 0 || burst < 1 || warmups < 0 || concurrency < 1
                || !(rate > 0) || !(unlimitedRate > 0) || latency.isNegative()) {
            throw new IllegalArgumentException("sizes, rates and burst must be positive; page size at most 500");
        }
        appointments = List.copyOf(appointments);
        if (appointments.isEmpty() || appointments.stream().anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("--appointments needs non-negative counts");
        }
    }

    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        boolean child = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--child")) {
                child = true;
            } else if (FLAGS.contains(args[i]) && i + 1 < args.length) {
                given.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete option: " + args[i]);
            }
        }
        String mode = given.getOrDefault("--mode", "floor");
        boolean floor = mode.equals("floor");
        int pageSize = Integer.parseInt(given.getOrDefault("--page-size", "100"));
        List<Integer> appointments = new ArrayList<>();
        if (given.containsKey("--appointments")) {
            for (String n : given.get("--appointments").split(",")) {
                appointments.add(Integer.parseInt(n.trim()));
            }
        } else if (given.containsKey("--pages") || floor) {
            appointments.add(Integer.parseInt(given.getOrDefault("--pages", "200")) * pageSize);
        } else {
            appointments.addAll(List.of(10_000, 100_000));
        }
        return new BenchOptions(mode, pageSize, appointments,
                Integer.parseInt(given.getOrDefault("--clients", "60")),
                Duration.parse(given.getOrDefault("--latency", floor ? "PT0.05S" : "PT0S")),
                Double.parseDouble(given.getOrDefault("--rate", floor ? "10" : "1000")),
                Integer.parseInt(given.getOrDefault("--burst", "50")),
                Double.parseDouble(given.getOrDefault("--unlimited-rate", "1000")),
                given.getOrDefault("--sink", "memory"),
                given.getOrDefault("--auth", "api-key"),
                given.getOrDefault("--sandbox", floor ? "inproc" : "fork"),
                given.getOrDefault("--xmx", "256m"),
                Integer.parseInt(given.getOrDefault("--warmups", floor ? "1" : "0")),
                Integer.parseInt(given.getOrDefault("--concurrency", "8")),
                child);
    }

    /** The options for a heap-mode child JVM measuring one size. */
    List<String> childArgs(int appointmentCount) {
        return List.of("--mode", mode, "--page-size", Integer.toString(pageSize),
                "--appointments", Integer.toString(appointmentCount), "--clients", Integer.toString(clients),
                "--latency", latency.toString(), "--rate", Double.toString(rate), "--burst", Integer.toString(burst),
                "--sink", sink, "--auth", auth, "--sandbox", sandbox, "--concurrency", Integer.toString(concurrency),
                "--warmups", Integer.toString(warmups), "--child");
    }
}
