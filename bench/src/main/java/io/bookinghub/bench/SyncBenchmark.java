package io.bookinghub.bench;

import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.booksy.sandbox.TokenPair;
import io.bookinghub.connectors.booksy.BooksyConfig;
import io.bookinghub.connectors.booksy.BooksyConnectorFactory;
import io.bookinghub.connectors.booksy.BooksyOAuthFlow;
import io.bookinghub.hub.model.BatchingRecordSink;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.testkit.AssembledContext;
import io.bookinghub.testkit.CountingSyncSink;
import io.bookinghub.testkit.InMemoryCredentialStore;
import io.bookinghub.toolkit.config.ConfigValidator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hand-run benchmarks of a Booksy sync against the sandbox (not a test: nothing here asserts a time).
 *
 * <ul>
 *   <li>{@code --mode floor}: how close a full sync gets to the floor its rate limit imposes. With R requests,
 *       a limiter of {@code rate}/s that starts with S stored permits cannot finish before
 *       {@code (R - 1 - S) / rate} seconds (the first request and the S stored ones go at once, every other one
 *       waits 1/rate). The bench waits {@code burst / rate + 0.5 s} after creating the connector so the bucket
 *       is full (S = burst), runs the sync, and reports wall/floor. The same sync at
 *       {@code --unlimited-rate} shows what the client and sandbox cost without the limiter.</li>
 *   <li>{@code --mode heap}: the heap a full sync needs, for each {@code --appointments} count in a fresh child
 *       JVM with {@code -Xmx<--xmx>}, with the sandbox in yet another process so its data is not counted.
 *       Streaming shows as a flat max-used-after-GC between 10,000 and 100,000 appointments.</li>
 * </ul>
 *
 * Results are printed as markdown table rows for docs/benchmarks.md.
 */
public final class SyncBenchmark {
    private static final double MIB = 1024.0 * 1024.0;
    private static final String RESULT = "RESULT ";

    private SyncBenchmark() {
    }

    /**
     * The JDK HTTP server the sandbox runs on writes a response's headers and body separately; without
     * TCP_NODELAY, Nagle's algorithm meets the client's delayed ACK and every response costs ~40 ms extra
     * on Linux, which would be measured as client time. Set unless the caller chose otherwise with -D.
     */
    static final String NODELAY = "sun.net.httpserver.nodelay";

    static void defaultNoDelay() {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    public static void main(String[] args) throws Exception {
        defaultNoDelay();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!options.child()) {
            printMachine();
        }
        if (options.mode().equals("floor")) {
            floor(options);
        } else if (options.child() || options.appointments().size() == 1 && isHeapChildLike()) {
            heapHere(options, options.appointments().get(0));
        } else {
            heapInChildren(options);
        }
        // Embedded PostgreSQL and HTTP client threads must not keep the JVM alive.
        System.exit(0);
    }

    /** True when this JVM was started with an explicit -Xmx, i.e. the caller chose to measure in-process. */
    private static boolean isHeapChildLike() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-Xmx"));
    }

    private static void printMachine() {
        System.out.printf(Locale.ROOT, "machine: %d CPUs, java %s (%s), max heap %.0f MiB, %s=%s, %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() / MIB, NODELAY,
                System.getProperty(NODELAY), LocalDate.now());
    }

    // ---- floor -----------------------------------------------------------------------------------------------

    private static void floor(BenchOptions o) throws InterruptedException {
        int appointments = o.appointments().get(0);
        try (Sandbox sandbox = sandbox(o, appointments);
                Target target = Target.open(o.sink())) {
            for (int i = 0; i < o.warmups(); i++) {
                sync(o, sandbox, target, o.unlimitedRate(), o.concurrency(), false);
            }
            Measured unlimited = sync(o, sandbox, target, o.unlimitedRate(), o.concurrency(), true);
            Measured limited = sync(o, sandbox, target, o.rate(), o.concurrency(), true);
            // The same-run baseline: one request at a time, as the connector read before it requested ahead.
            Measured sequential = o.concurrency() > 1 ? sync(o, sandbox, target, o.rate(), 1, true) : null;

            System.out.printf(Locale.ROOT, "floor: %d appointments, page size %d, latency %s, sink %s, auth %s%n%n",
                    appointments, o.pageSize(), o.latency(), o.sink(), o.auth());
            System.out.println("| limiter | pages requested at once | requests | stored permits | floor (s) | wall (s) "
                    + "| wall / floor | HTTP, summed (s) | appointments upserted |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            List<Measured> rows = new ArrayList<>(List.of(limited, unlimited));
            if (sequential != null) {
                rows.add(sequential);
            }
            for (Measured m : rows) {
                double floor = floor(m);
                System.out.printf(Locale.ROOT, "| %s/s, burst %d | %d | %d | %d | %.2f | %.2f | %s | %.2f | %d |%n",
                        trim(m.rate()), o.burst(), m.concurrency(), m.requests(), m.storedPermits(), floor,
                        seconds(m.wall()), floor > 0 ? String.format(Locale.ROOT, "%.3f", seconds(m.wall()) / floor)
                                : "n/a", seconds(m.http()), m.appointments());
            }
            System.out.printf(Locale.ROOT, "%nwall without limiter / wall with limiter = %.3f "
                    + "(the share of the limited run's time the client, sandbox and sink account for)%n",
                    seconds(unlimited.wall()) / seconds(limited.wall()));
            System.out.printf(Locale.ROOT, "the unlimited run waited %.2f s on HTTP in total (%d x %s artificial "
                            + "latency = %.2f s), %.1f requests in flight on average over its %.2f s%n",
                    seconds(unlimited.http()), unlimited.requests(), o.latency(),
                    unlimited.requests() * seconds(o.latency()), seconds(unlimited.http()) / seconds(unlimited.wall()),
                    seconds(unlimited.wall()));
            if (sequential != null) {
                System.out.printf(Locale.ROOT, "wall / floor: %.3f with %d pages requested at once, %.3f one at a "
                                + "time (same run)%n", seconds(limited.wall()) / floor(limited), o.concurrency(),
                        seconds(sequential.wall()) / floor(sequential));
            }
            if (limited.requests() <= limited.storedPermits() + 1) {
                System.out.println("note: every request fit in the stored burst, so the floor is 0; "
                        + "use more --pages to measure the limiter");
            }
        }
    }

    private static double floor(Measured m) {
        return Math.max(0, (m.requests() - 1 - m.storedPermits()) / m.rate());
    }

    private record Measured(double rate, int concurrency, long requests, long storedPermits, Duration wall,
            Duration http, long appointments) {
    }

    /** One full sync with a fresh connector (so a fresh limiter), after letting the limiter fill its burst. */
    private static Measured sync(BenchOptions o, Sandbox sandbox, Target target, double rate, int concurrency,
            boolean report) throws InterruptedException {
        TimedAudit audit = new TimedAudit();
        try (BookingConnector connector = connector(o, sandbox, rate, concurrency, audit)) {
            // Guava's bursty limiter starts empty and stores rate permits per idle second up to the burst;
            // waiting burst/rate (+ margin) makes the stored permits exactly the burst, so the floor is exact.
            Duration idle = Duration.ofMillis((long) Math.ceil(o.burst() / rate * 1000) + 500);
            Thread.sleep(idle.toMillis());
            sandbox.resetRequestCount();
            TimedSyncSink timed = new TimedSyncSink(new CountingSyncSink(target.records()), target::flush);
            CountingSyncSink sink = timed.counts();
            long start = System.nanoTime();
            SyncResult result = connector.sync(new SyncRequest(UUID.randomUUID().toString(), SyncMode.FULL), timed);
            timed.finish();
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            check(result, sink, o.appointments().get(0));
            long requests = sandbox.requestCount().orElse(audit.calls());
            long stored = Math.min(o.burst(), (long) Math.floor(idle.toMillis() / 1000.0 * rate));
            if (!report) {
                System.out.printf(Locale.ROOT, "warm-up: %d requests in %.2f s%n", requests, seconds(wall));
            }
            return new Measured(rate, concurrency, requests, stored, wall, audit.httpTime(),
                    sink.upserts(RecordKind.APPOINTMENT));
        }
    }

    // ---- heap ------------------------------------------------------------------------------------------------

    private static void heapInChildren(BenchOptions o) throws IOException, InterruptedException {
        List<Map<String, String>> results = new ArrayList<>();
        for (int n : o.appointments()) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + o.xmx(), "-D" + NODELAY + "=" + System.getProperty(NODELAY),
                    "-cp", System.getProperty("java.class.path"), SyncBenchmark.class.getName()));
            command.addAll(o.childArgs(n));
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            child.getOutputStream().close();
            Map<String, String> result = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(RESULT)) {
                        result = parseResult(line);
                    } else {
                        System.out.println("  [" + n + "] " + line);
                    }
                }
            }
            int exit = child.waitFor();
            if (exit != 0 || result == null) {
                throw new IllegalStateException("heap run for " + n + " appointments failed (exit " + exit
                        + "); an OutOfMemoryError under -Xmx" + o.xmx() + " would mean the sync does not stream");
            }
            results.add(result);
        }
        System.out.printf(Locale.ROOT, "%nheap: -Xmx%s, page size %d, pages requested at once %d, sink %s, "
                + "sandbox %s%n%n", o.xmx(), o.pageSize(), o.concurrency(), o.sink(), o.sandbox());
        System.out.println(HEADER);
        System.out.println(RULE);
        for (Map<String, String> r : results) {
            System.out.println(row(r));
        }
        if (results.size() > 1) {
            Map<String, String> small = results.get(0);
            Map<String, String> large = results.get(results.size() - 1);
            System.out.printf(Locale.ROOT, "%n%s vs %s appointments: max used after GC ratio %.2f, "
                            + "max live ratio %.2f, sum of pool peaks ratio %.2f (records ratio %.1f)%n",
                    large.get("appointments"), small.get("appointments"),
                    ratio(large, small, "maxAfterGc"), ratio(large, small, "maxLive"), ratio(large, small, "poolPeaks"),
                    ratio(large, small, "appointments"));
        }
    }

    private static final String HEADER = "| sink | appointments | all upserts | requests | wall (s) | records/s "
            + "| in store (s) | HTTP, summed (s) | rest (s) "
            + "| live before (MiB) | max used after GC (MiB) | max live, full GC every 2 s (MiB) "
            + "| sum of heap pool peaks (MiB) | live after (MiB) | GCs |";
    private static final String RULE = "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    /**
     * One result row. The wall time splits into time inside the record store (upserts and page flushes), the
     * HTTP attempts' audited latencies (request sent to response read: sandbox rendering, transfer, artificial
     * latency) and the rest (JSON parsing, mapping, rate-limiter waits, the connector's own work).
     */
    private static String row(Map<String, String> r) {
        double wall = Double.parseDouble(r.get("wallSeconds"));
        double store = Double.parseDouble(r.get("storeSeconds"));
        double http = Double.parseDouble(r.get("httpSeconds"));
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.0f | %.2f | %.2f | %.2f "
                        + "| %.1f | %.1f | %.1f (%s samples) | %.1f | %.1f | %s |",
                r.get("sink"), r.get("appointments"), r.get("upserts"), r.get("requests"), wall,
                Long.parseLong(r.get("upserts")) / wall, store, http, Math.max(0, wall - store - http),
                mib(r, "liveBefore"), mib(r, "maxAfterGc"), mib(r, "maxLive"), r.get("liveSamples"), mib(r, "poolPeaks"),
                mib(r, "liveAfter"), r.get("gcs"));
    }

    private static double mib(Map<String, String> r, String key) {
        return Long.parseLong(r.get(key)) / MIB;
    }

    private static double ratio(Map<String, String> a, Map<String, String> b, String key) {
        return Double.parseDouble(a.get(key)) / Double.parseDouble(b.get(key));
    }

    private static Map<String, String> parseResult(String line) {
        Map<String, String> out = new HashMap<>();
        for (String pair : line.substring(RESULT.length()).trim().split(" ")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /** Measures one sync in this JVM; prints a RESULT line (for the parent) and the table row. */
    private static void heapHere(BenchOptions o, int appointments) throws InterruptedException {
        // Warm-ups sync the same data into a database of their own first, so the measured sync runs on compiled
        // code as a long-running hub does, not on a JVM still interpreting and compiling the write path. They
        // share the sandbox with the measured run: a provider is a warm server, and a sandbox JVM forked for the
        // measured run alone spent its JIT compilation on the same 2 cores during it (section 15).
        try (Sandbox sandbox = sandbox(o, appointments)) {
            for (int w = 0; w < o.warmups(); w++) {
                heapRun(o, sandbox, appointments, false);
            }
            heapRun(o, sandbox, appointments, true);
        }
    }

    private static void heapRun(BenchOptions o, Sandbox sandbox, int appointments, boolean report)
            throws InterruptedException {
        try (Target target = Target.open(o.sink())) {
            TimedAudit audit = new TimedAudit();
            try (BookingConnector connector = connector(o, sandbox, o.rate(), o.concurrency(), audit)) {
                TimedSyncSink timed = new TimedSyncSink(new CountingSyncSink(target.records()), target::flush);
                CountingSyncSink sink = timed.counts();
                long liveBefore = HeapProbe.liveHeap();
                long start;
                Duration wall;
                long maxAfterGc;
                long gcs;
                long maxLive;
                long liveSamples;
                try (HeapProbe probe = HeapProbe.start();
                        LiveHeapSampler live = LiveHeapSampler.start(Duration.ofSeconds(2))) {
                    start = System.nanoTime();
                    SyncResult result = connector.sync(new SyncRequest(UUID.randomUUID().toString(), SyncMode.FULL),
                            timed);
                    timed.finish();
                    wall = Duration.ofNanos(System.nanoTime() - start);
                    // GC notifications arrive on a JMX thread; give the last ones a moment to land.
                    Thread.sleep(200);
                    maxAfterGc = probe.maxUsedAfterGc();
                    gcs = probe.collections();
                    maxLive = live.maxLive();
                    liveSamples = live.samples();
                    check(result, sink, appointments);
                }
                long poolPeaks = HeapProbe.sumOfPoolPeaks();
                long liveAfter = HeapProbe.liveHeap();
                target.verify(sink);
                if (!report) {
                    System.out.printf(Locale.ROOT, "warm-up: %d upserts in %.2f s, %.2f s in store%n",
                            sink.totalUpserts(), seconds(wall), seconds(timed.storeTime()));
                    return;
                }
                Map<String, String> r = new LinkedHashMap<>();
                r.put("sink", o.sink());
                r.put("appointments", Long.toString(sink.upserts(RecordKind.APPOINTMENT)));
                r.put("upserts", Long.toString(sink.totalUpserts()));
                r.put("requests", Long.toString(audit.calls()));
                r.put("wallSeconds", String.format(Locale.ROOT, "%.3f", seconds(wall)));
                r.put("storeSeconds", String.format(Locale.ROOT, "%.3f", seconds(timed.storeTime())));
                r.put("httpSeconds", String.format(Locale.ROOT, "%.3f", seconds(audit.httpTime())));
                r.put("liveBefore", Long.toString(liveBefore));
                r.put("maxAfterGc", Long.toString(maxAfterGc));
                r.put("poolPeaks", Long.toString(poolPeaks));
                r.put("liveAfter", Long.toString(liveAfter));
                r.put("maxLive", Long.toString(maxLive));
                r.put("liveSamples", Long.toString(liveSamples));
                r.put("gcs", Long.toString(gcs));
                StringBuilder line = new StringBuilder(RESULT);
                r.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
                System.out.println(line.toString().trim());
                if (!o.child()) {
                    System.out.println(HEADER);
                    System.out.println(RULE);
                    System.out.println(row(r));
                }
            }
        }
    }

    // ---- shared ----------------------------------------------------------------------------------------------

    private static Sandbox sandbox(BenchOptions o, int appointments) {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String apiKey = "bench_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        return o.sandbox().equals("fork")
                ? Sandbox.forked(appointments, o.clients(), o.latency(), apiKey)
                : Sandbox.inProcess(appointments, o.clients(), o.latency(), apiKey);
    }

    /** The connector exactly as the hub would build it: metadata-validated config, then the factory. */
    private static BookingConnector connector(BenchOptions o, Sandbox sandbox, double rate, int concurrency,
            TimedAudit audit) {
        BookingConnectorFactory factory = new BooksyConnectorFactory();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(BooksyConfig.API_BASE_URL, sandbox.baseUrl());
        values.put(BooksyConfig.BUSINESS_ID, BooksySandbox.BUSINESS_ID);
        values.put(BooksyConfig.PAGE_SIZE, o.pageSize());
        values.put(BooksyConfig.RATE_LIMIT_PER_SECOND, trim(rate));
        values.put(BooksyConfig.RATE_LIMIT_BURST, o.burst());
        values.put(BooksyConfig.MAX_CONCURRENT_REQUESTS, concurrency);
        InMemoryCredentialStore credentials = new InMemoryCredentialStore();
        if (o.auth().equals("oauth")) {
            values.put(BooksyConfig.AUTH_MODE, "oauth");
            values.put(BooksyConfig.CLIENT_ID, BooksySandbox.DEMO_CLIENT_ID);
            values.put(BooksyConfig.CLIENT_SECRET, BooksySandbox.DEMO_CLIENT_SECRET);
            values.put(BooksyConfig.REDIRECT_URI, "http://localhost:8080/bench/callback");
            TokenPair tokens = sandbox.issueTokens();
            credentials.save(Map.of(
                    BooksyOAuthFlow.ACCESS_TOKEN, tokens.accessToken(),
                    BooksyOAuthFlow.REFRESH_TOKEN, tokens.refreshToken(),
                    BooksyOAuthFlow.EXPIRES_AT, tokens.accessTokenExpiresAt().toString(),
                    BooksyOAuthFlow.TOKEN_TYPE, "Bearer"));
        } else {
            values.put(BooksyConfig.AUTH_MODE, "api-key");
            values.put(BooksyConfig.API_KEY, sandbox.apiKey());
        }
        ConnectorConfig config = ConfigValidator.validate(factory.descriptor().configProperties(), values,
                System::getenv);
        return factory.create(AssembledContext.of("bench-business", config, credentials, audit));
    }

    /** A benchmark of a sync that silently read less is worthless: fail loudly instead. */
    private static void check(SyncResult result, CountingSyncSink sink, int expectedAppointments) {
        if (!result.complete()) {
            throw new IllegalStateException("sync did not complete: " + result.message());
        }
        if (sink.upserts(RecordKind.APPOINTMENT) != expectedAppointments) {
            throw new IllegalStateException("expected " + expectedAppointments + " appointments but the sync upserted "
                    + sink.upserts(RecordKind.APPOINTMENT));
        }
        if (sink.skipped() > 0) {
            throw new IllegalStateException(sink.skipped() + " records were skipped");
        }
    }

    private static String trim(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Where records go: a counting in-memory sink, or the hub's RecordStore on embedded PostgreSQL. */
    private interface Target extends AutoCloseable {
        RecordSink records();

        /** Writes what the store buffered; the hub's run sink does this at every page boundary. */
        default void flush() {
        }

        /** Cross-checks what the sink counted against what was stored. */
        void verify(CountingSyncSink sink);

        @Override
        void close();

        static Target open(String kind) {
            if (kind.equals("memory")) {
                // Accepts every record and keeps none, so whatever heap a sync needs beyond this is the
                // connector's (and the HTTP client's) own. The checksum is a cheap use of each record, so the JIT
                // cannot treat the mapped object as dead and skip building it.
                LongAdder checksum = new LongAdder();
                RecordSink memory = new CountingSyncSink(record -> checksum.add(record.hashCode()));
                return new Target() {
                    @Override
                    public RecordSink records() {
                        return memory;
                    }

                    @Override
                    public void verify(CountingSyncSink sink) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            EmbeddedDatabase db = EmbeddedDatabase.start();
            System.out.println("embedded PostgreSQL: " + db.durability());
            UUID runId = UUID.randomUUID();
            // postgres: the hub's run sink (batches written at page boundaries); postgres-per-record: the same
            // store with one transaction per record, as every sync wrote before batching (the same-run baseline).
            BatchingRecordSink batching = new RecordStore(db.jdbi(), Clock.systemUTC()).sinkForRun(db.businessId(),
                    BooksyConnectorFactory.ID, runId, outcome -> { });
            RecordSink jdbc = kind.equals("postgres") ? batching
                    : new JdbiRecordSink(db.jdbi(), Clock.systemUTC(), db.businessId(), BooksyConnectorFactory.ID, runId);
            return new Target() {
                @Override
                public RecordSink records() {
                    return jdbc;
                }

                @Override
                public void flush() {
                    batching.flush();
                }

                @Override
                public void verify(CountingSyncSink sink) {
                    long stored = db.count("appointments");
                    if (stored != sink.upserts(RecordKind.APPOINTMENT)) {
                        throw new IllegalStateException("PostgreSQL holds " + stored + " appointments but "
                                + sink.upserts(RecordKind.APPOINTMENT) + " were upserted");
                    }
                }

                @Override
                public void close() {
                    db.close();
                }
            };
        }
    }
}
