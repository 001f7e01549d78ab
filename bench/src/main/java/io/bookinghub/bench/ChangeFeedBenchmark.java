package io.bookinghub.bench;

import io.bookinghub.hub.changes.Change;
import io.bookinghub.hub.changes.ChangeFeed;
import io.bookinghub.hub.changes.FeedPosition;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.ProviderVersion;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The change feed under write load (docs/benchmarks.md, section 12). On a durable embedded PostgreSQL with the hub's
 * migrations, in one run:
 *
 * <ol>
 *   <li>baseline: {@code SELECT 1} round trips per second with {@code --readers} threads, and the writers' commit
 *       latency (a write transaction as a webhook apply makes it: one appointment upsert) with no follower;</li>
 *   <li>lag: the same writers for {@code --seconds} while one follower polls the feed (pages of 500, 5 ms pause
 *       when it is empty); the lag of a change is the time from its write ({@code changed_at}, stamped inside the
 *       writing transaction) to the follower receiving it; p50/p99/max, and p99 against the commit p99;</li>
 *   <li>reads: {@code --readers} threads reading pages of 100 from random positions of the whole feed for
 *       {@code --seconds}, against the {@code SELECT 1} rate.</li>
 * </ol>
 *
 * <p>It also checks what the feed promises: the follower saw every change exactly once.
 */
public final class ChangeFeedBenchmark {
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");

    private ChangeFeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = BenchArgs.valued(args, Set.of("--seconds", "--writers", "--readers"));
        int seconds = Integer.parseInt(given.getOrDefault("--seconds", "20"));
        int writers = Integer.parseInt(given.getOrDefault("--writers", "8"));
        int readers = Integer.parseInt(given.getOrDefault("--readers", "4"));
        try (EmbeddedPostgres postgres = EmbeddedDatabase.durableServer()) {
            Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load()
                    .migrate();
            PoolProperties pool = new PoolProperties();
            pool.setDataSource(postgres.getPostgresDatabase());
            pool.setMaxActive(writers + readers + 2);
            pool.setMaxIdle(writers + readers + 2);
            DataSource dataSource = new DataSource(pool);
            Jdbi jdbi = Jdbi.create(dataSource);
            System.out.println("database: " + EmbeddedDatabase.durability(jdbi));
            System.out.printf("options: --seconds %d --writers %d --readers %d%n", seconds, writers, readers);
            UUID business = UUID.randomUUID();
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO businesses (id, name, time_zone, created_at, updated_at)"
                    + " VALUES (:id, 'Bench salon', 'Europe/Warsaw', now(), now())").bind("id", business).execute());
            ChangeFeed feed = new ChangeFeed(jdbi);

            double ping = rate(readers, seconds, () -> jdbi.withHandle(h -> h.createQuery("SELECT 1")
                    .mapTo(Integer.class).one()));
            System.out.printf("baseline SELECT 1: %.0f/s with %d threads%n", ping, readers);
            long[] alone = write(jdbi, business, writers, seconds, null);
            System.out.printf("writes alone: %d commits, %.0f/s, commit p50 %.2f ms, p99 %.2f ms%n", alone.length,
                    alone.length / (double) seconds, ms(pct(alone, 50)), ms(pct(alone, 99)));

            List<Long> lags = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong served = new AtomicLong();
            FeedPosition start = latest(jdbi, feed, business);
            ExecutorService follower = Executors.newSingleThreadExecutor();
            Future<?> following = follower.submit(() -> {
                FeedPosition at = start;
                while (true) {
                    boolean more = writing.get();
                    List<Change> page = feed.read(business, at, 500);
                    long now = micros(Instant.now());
                    for (Change c : page) {
                        lags.add(now - micros(c.changedAt()));
                    }
                    served.addAndGet(page.size());
                    if (!page.isEmpty()) {
                        at = page.get(page.size() - 1).position();
                    } else if (!more) {
                        return null;
                    } else {
                        Thread.sleep(5);
                    }
                }
            });
            long[] loaded = write(jdbi, business, writers, seconds, writing);
            following.get();
            follower.shutdown();
            long[] lag = lags.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("writes with a follower: %d commits, %.0f/s, commit p99 %.2f ms; follower served %d%n",
                    loaded.length, loaded.length / (double) seconds, ms(pct(loaded, 99)), served.get());
            long written = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM model_changes"
                    + " WHERE (xid, id) > (CAST(:xid AS xid8), :id)").bind("xid", Long.toString(start.xid()))
                    .bind("id", start.id()).mapTo(Long.class).one());
            if (served.get() != written) {
                throw new IllegalStateException("the follower saw " + served.get() + " changes of " + written);
            }
            System.out.printf("feed lag: p50 %.1f ms, p99 %.1f ms, max %.1f ms; p99 / commit p99 = %.2f%n",
                    pct(lag, 50) / 1000.0, pct(lag, 99) / 1000.0, lag[lag.length - 1] / 1000.0,
                    pct(lag, 99) / 1000.0 / ms(pct(loaded, 99)));

            long total = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM model_changes").mapTo(Long.class).one());
            List<FeedPosition> positions = jdbi.withHandle(h -> h.createQuery("SELECT xid::text AS x, id FROM"
                    + " model_changes ORDER BY xid, id").map((rs, ctx) -> new FeedPosition(Long.parseLong(rs.getString("x")),
                    rs.getLong("id"))).list());
            double reads = rate(readers, seconds, () -> {
                FeedPosition from = positions.get(ThreadLocalRandom.current().nextInt(positions.size()));
                return feed.read(business, from, 100).size();
            });
            System.out.printf("feed reads (pages of 100 from random positions of %d changes): %.0f/s = %.3f x SELECT 1%n",
                    total, reads, reads / ping);
            dataSource.close();
        }
    }

    private static FeedPosition latest(Jdbi jdbi, ChangeFeed feed, UUID business) {
        FeedPosition at = FeedPosition.START;
        for (List<Change> page = feed.read(business, at, 500); !page.isEmpty(); page = feed.read(business, at, 500)) {
            at = page.get(page.size() - 1).position();
        }
        return at;
    }

    /** Closed-loop writers; returns each commit's latency in nanoseconds. */
    private static long[] write(Jdbi jdbi, UUID business, int writers, int seconds, AtomicBoolean writing)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong version = new AtomicLong(System.currentTimeMillis());
        List<Future<long[]>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    String id = "appt-" + ThreadLocalRandom.current().nextInt(5000);
                    long t0 = System.nanoTime();
                    jdbi.useTransaction(h -> JdbiRecordSink.inTransaction(h, Clock.systemUTC(), business, "bench")
                            .upsert(appointment(id, version.incrementAndGet())));
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        pool.shutdown();
        if (writing != null) {
            writing.set(false);
        }
        return all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static double rate(int threads, int seconds, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    call.run();
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private static Appointment appointment(String id, long version) {
        Instant start = Instant.parse("2026-12-01T09:00:00Z").plus(Duration.ofMinutes(version % 10_000));
        return new Appointment(new ExternalRef("bench", id), "c1", "loc-1",
                List.of(new AppointmentSegment("svc-1", "svc-1-v", "staff-1", start, start.plus(Duration.ofMinutes(30)))),
                WARSAW, AppointmentStatus.CONFIRMED, "confirmed", null, null, "v" + version, null, null,
                new ProviderVersion(version, null), null);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
