package io.bookinghub.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The database's own single-commit rate, the baseline webhook intake is measured against: the same two INSERTs
 * the hub's intake writes per event (an inbox row, then an audit row naming it) as one transaction per event, at
 * the same concurrency, against the same database in the same run. pgbench runs them when it is installed (its
 * client costs less CPU than a JVM's), otherwise the same statements go through JDBC from this JVM.
 *
 * <p>The rows name a connection that does not exist, so the hub's workers never claim them, while they
 * maintain exactly the indexes an intake row maintains (the due-events index is partial on PENDING).
 */
final class SingleCommitBaseline {
    private static final String INBOX_INSERT = "INSERT INTO webhook_inbox (connector_id, dedup_key, business_id, "
            + "connection_id, event_id, event_type, account_id, occurred_at, payload, status, attempts, "
            + "next_attempt_at, last_error, received_at) VALUES ('booksy', %s, %s, %s, %s, 'appointment.updated', "
            + "%s, now(), %s, 'PENDING', 0, now(), NULL, now()) ON CONFLICT (connector_id, dedup_key) DO NOTHING "
            + "RETURNING id";
    private static final String AUDIT_INSERT = "INSERT INTO webhook_log (connector_id, business_id, connection_id, "
            + "event_id, event_type, signature_outcome, reason, received_at, body_size, outcome, http_status, "
            + "inbox_id) VALUES ('booksy', %s, %s, %s, 'appointment.updated', 'VERIFIED', NULL, now(), %s, "
            + "'ACCEPTED', 200, %s)";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    /** How the baseline is run. */
    enum Tool {
        AUTO, PGBENCH, JDBC
    }

    /** The server settings that decide whether a commit is durable. */
    record Durability(String fsync, String synchronousCommit, String fullPageWrites) {
        boolean durable() {
            return "on".equals(fsync) && "on".equals(synchronousCommit) && "on".equals(fullPageWrites);
        }

        @Override
        public String toString() {
            return "fsync = " + fsync + ", synchronous_commit = " + synchronousCommit + ", full_page_writes = "
                    + fullPageWrites;
        }
    }

    /** What the baseline measured: committed transactions (one per event) per second. */
    record Result(String tool, int clients, long transactions, double tps, double latencyAverageMillis) {
    }

    private final String host;
    private final int port;
    private final String database;
    private final String user;

    private SingleCommitBaseline(String host, int port, String database, String user) {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.database = requireNonNull(database, "database is null");
        this.user = requireNonNull(user, "user is null");
    }

    /**
     * The hub's embedded PostgreSQL, found through its {@code postmaster.pid} (4th line: the port); zonky runs it
     * with trust authentication for the {@code postgres} user on loopback, and the hub's data is in {@code hub}.
     */
    static SingleCommitBaseline ofEmbedded(Path dataDirectory) throws IOException {
        List<String> pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        return new SingleCommitBaseline("127.0.0.1", Integer.parseInt(pid.get(3).trim()), "hub", "postgres");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    Durability durability() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user, null);
                Statement s = c.createStatement()) {
            return new Durability(show(s, "fsync"), show(s, "synchronous_commit"), show(s, "full_page_writes"));
        }
    }

    private static String show(Statement s, String setting) throws SQLException {
        // Names come from this class, never from input.
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Runs {@code transactions} single-event transactions from {@code clients} concurrent clients.
     *
     * @param payload   an event payload as the hub stores it (same size as the measured events')
     * @param bodySize  the audit row's body size
     */
    Result run(Tool tool, int clients, int transactions, UUID businessId, String accountId, String payload,
            int bodySize) throws IOException, InterruptedException, SQLException {
        // A connection id no connection has: the rows are never claimed, yet they are indexed as intake's are.
        UUID nowhere = UUID.randomUUID();
        Optional<Path> pgbench = tool == Tool.JDBC ? Optional.empty() : pgbench();
        if (tool == Tool.PGBENCH && pgbench.isEmpty()) {
            throw new IllegalStateException("--baseline pgbench: no pgbench on PATH or in /usr/lib/postgresql/*/bin");
        }
        if (pgbench.isPresent()) {
            return runPgbench(pgbench.get(), clients, transactions, businessId, nowhere, accountId, payload, bodySize);
        }
        return runJdbc(clients, transactions, businessId, nowhere, accountId, payload, bodySize);
    }

    private static Optional<Path> pgbench() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(versions)) {
            return dirs.map(d -> d.resolve("bin/pgbench")).filter(Files::isExecutable).max(Path::compareTo);
        }
    }

    /**
     * pgbench with prepared statements (as the hub's driver uses them) and every value bound as a variable given
     * with {@code -D}: a JSON payload pasted into the script would be read as pgbench variables at each colon.
     */
    private Result runPgbench(Path pgbench, int clients, int transactions, UUID businessId, UUID connectionId,
            String accountId, String payload, int bodySize) throws IOException, InterruptedException {
        Path script = Files.createTempFile("single-commit-", ".sql");
        try {
            Files.writeString(script, String.join("\n", "BEGIN;",
                    INBOX_INSERT.formatted("'baseline/' || gen_random_uuid()", ":business", ":connection",
                            "'evt_baseline'", ":account", ":payload") + " \\gset",
                    AUDIT_INSERT.formatted(":business", ":connection", "'evt_baseline'", ":size", ":id") + ";",
                    "END;", ""), StandardCharsets.UTF_8);
            int perClient = Math.max(1, transactions / clients);
            List<String> command = new ArrayList<>(List.of(pgbench.toString(), "-n", "-M", "prepared",
                    "-h", host, "-p", String.valueOf(port), "-U", user, "-c", String.valueOf(clients),
                    "-j", String.valueOf(Math.min(clients, Runtime.getRuntime().availableProcessors())),
                    "-t", String.valueOf(perClient), "-f", script.toString(),
                    "-D", "business=" + businessId, "-D", "connection=" + connectionId,
                    "-D", "account=" + accountId, "-D", "size=" + bodySize, "-D", "payload=" + payload, database));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("pgbench failed:\n" + output);
            }
            Matcher tps = TPS.matcher(output);
            Matcher latency = LATENCY.matcher(output);
            if (!tps.find() || !latency.find()) {
                throw new IllegalStateException("pgbench printed no tps or latency:\n" + output);
            }
            return new Result("pgbench " + String.join(" ", Arrays.asList("-n", "-M", "prepared", "-c",
                    String.valueOf(clients), "-t", String.valueOf(perClient))), clients, (long) perClient * clients,
                    Double.parseDouble(tps.group(1)), Double.parseDouble(latency.group(1)));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The same transactions through JDBC: one connection per client, both statements prepared once. */
    private Result runJdbc(int clients, int transactions, UUID businessId, UUID connectionId, String accountId,
            String payload, int bodySize) throws InterruptedException, SQLException {
        String inbox = INBOX_INSERT.formatted("'baseline/' || gen_random_uuid()", "?", "?", "'evt_baseline'", "?", "?");
        String audit = AUDIT_INSERT.formatted("?", "?", "'evt_baseline'", "?", "?");
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int i = 0; i < clients; i++) {
                Connection c = DriverManager.getConnection(jdbcUrl(), user, null);
                c.setAutoCommit(false);
                connections.add(c);
            }
            AtomicInteger next = new AtomicInteger();
            long[] latencies = new long[transactions];
            List<Future<?>> running = new ArrayList<>();
            long start = System.nanoTime();
            for (Connection c : connections) {
                running.add(pool.submit(() -> {
                    try (PreparedStatement in = c.prepareStatement(inbox);
                            PreparedStatement log = c.prepareStatement(audit)) {
                        int i;
                        while ((i = next.getAndIncrement()) < transactions) {
                            long t0 = System.nanoTime();
                            in.setObject(1, businessId);
                            in.setObject(2, connectionId);
                            in.setString(3, accountId);
                            in.setString(4, payload);
                            long id;
                            try (ResultSet rs = in.executeQuery()) {
                                rs.next();
                                id = rs.getLong(1);
                            }
                            log.setObject(1, businessId);
                            log.setObject(2, connectionId);
                            log.setInt(3, bodySize);
                            log.setLong(4, id);
                            log.executeUpdate();
                            c.commit();
                            latencies[i] = System.nanoTime() - t0;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double average = Arrays.stream(latencies).average().orElse(0) / 1e6;
            return new Result("JDBC (" + clients + " connections)", clients, transactions, transactions / wall,
                    average);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JDBC baseline failed", e.getCause());
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    static String describe(Result r) {
        return String.format(Locale.ROOT, "%s: %d transactions, %.0f tps, latency average %.2f ms", r.tool(),
                r.transactions(), r.tps(), r.latencyAverageMillis());
    }
}
