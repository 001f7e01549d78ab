package io.bookinghub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * A closed-loop HTTP load generator for loopback targets: {@code senders} threads of a fixed pool each keep
 * one request in flight, taking the next request index until {@code count} were sent or {@code maxDuration}
 * has passed. Latency is measured per request from just before sending to the end of the response body.
 * Java 17 has no virtual threads, so concurrency is bounded by the pool.
 */
final class LoadGenerator {

    /** One request: where, which body, which headers. */
    record Request(URI uri, String method, byte[] body, Map<String, String> headers) {
        Request {
            Objects.requireNonNull(uri, "uri is null");
            Objects.requireNonNull(method, "method is null");
            headers = Map.copyOf(headers);
        }
    }

    /**
     * What one phase measured. Latencies are of requests answered with an expected status.
     *
     * @param sent         requests sent (answered or failed)
     * @param expected     answered with a status the phase expected
     * @param unexpected   answered with another status, by status code
     * @param failed       no answer (I/O error or timeout)
     */
    record Result(String target, int senders, int sent, int expected, Map<Integer, Long> unexpected, long failed,
            Duration wall, long[] sortedLatencyNanos) {
        double throughput() {
            return expected / (wall.toNanos() / 1e9);
        }

        /** Nearest-rank percentile in milliseconds, or NaN without samples. */
        double percentileMillis(double p) {
            if (sortedLatencyNanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sortedLatencyNanos.length);
            return sortedLatencyNanos[Math.max(0, rank - 1)] / 1e6;
        }

        double maxMillis() {
            return sortedLatencyNanos.length == 0 ? Double.NaN : sortedLatencyNanos[sortedLatencyNanos.length - 1] / 1e6;
        }
    }

    private final HttpClient http;

    LoadGenerator() {
        // HTTP/1.1 explicitly: the default (HTTP/2) adds an h2c upgrade attempt the hub does not take.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Sends {@code count} requests built by {@code requests} (index 0..count-1), {@code senders} at a time.
     *
     * @param isExpected which status codes count as success for this target
     */
    Result run(String target, int count, int senders, Duration maxDuration, IntFunction<Request> requests,
            IntPredicate isExpected) throws InterruptedException {
        long[] latencies = new long[count];
        boolean[] ok = new boolean[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        Map<Integer, Long> unexpected = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(senders, r -> {
            Thread t = new Thread(r, "bench-sender");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long deadline = start + maxDuration.toNanos();
        for (int s = 0; s < senders; s++) {
            pool.execute(() -> {
                int i;
                while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < count) {
                    HttpRequest request = build(requests.apply(i));
                    sent.incrementAndGet();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        latencies[i] = System.nanoTime() - t0;
                        if (isExpected.test(response.statusCode())) {
                            ok[i] = true;
                        } else {
                            unexpected.merge(response.statusCode(), 1L, Long::sum);
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(maxDuration.toSeconds() + 60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            throw new IllegalStateException(target + ": senders did not stop");
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        int n = 0;
        long[] good = new long[count];
        for (int i = 0; i < count; i++) {
            if (ok[i]) {
                good[n++] = latencies[i];
            }
        }
        long[] sorted = Arrays.copyOf(good, n);
        Arrays.sort(sorted);
        return new Result(target, senders, sent.get(), n, Map.copyOf(unexpected), failed.get(), wall, sorted);
    }

    private static HttpRequest build(Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(Duration.ofSeconds(30));
        r.headers().forEach(b::header);
        b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        return b.build();
    }

    /** Requests the same for every index (e.g. a ping). */
    static IntFunction<Request> constant(Request request) {
        return i -> request;
    }

    static List<String> header() {
        return List.of("| target | senders | sent | acknowledged | other | wall (s) | throughput (/s) | p50 (ms) "
                + "| p99 (ms) | max (ms) |", "|---|---|---|---|---|---|---|---|---|---|");
    }

    static String row(Result r) {
        String other = r.unexpected().isEmpty() && r.failed() == 0 ? "0"
                : r.unexpected() + (r.failed() > 0 ? " + " + r.failed() + " no answer" : "");
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %.2f | %.0f | %.2f | %.2f | %.1f |",
                r.target(), r.senders(), r.sent(), r.expected(), other, r.wall().toNanos() / 1e9, r.throughput(),
                r.percentileMillis(50), r.percentileMillis(99), r.maxMillis());
    }
}
