package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-connection token buckets for verified webhook deliveries on this node, so one tenant's flood fills
 * neither the group-commit writer's queue nor the inbox at everyone else's expense. Keys are connections
 * that verified a request, so the map is bounded by the connections that exist.
 */
final class IntakeLimiter {
    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.updatedNanos = nowNanos;
        }
    }

    private final Clock clock;
    private final double perSecond;
    private final int burst;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond refill rate; 0 turns the limit off */
    IntakeLimiter(Clock clock, double perSecond, int burst) {
        this.clock = requireNonNull(clock, "clock is null");
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("perSecond >= 0 and burst >= 1 required");
        }
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes a token for one delivery; empty if taken, otherwise how long until one will be there. */
    Optional<Duration> tryAcquire(UUID connectionId) {
        if (perSecond == 0) {
            return Optional.empty();
        }
        long now = nanos();
        Bucket bucket = buckets.computeIfAbsent(connectionId, k -> new Bucket(burst, now));
        synchronized (bucket) {
            long elapsed = Math.max(0, now - bucket.updatedNanos);
            bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond / 1e9);
            bucket.updatedNanos = Math.max(now, bucket.updatedNanos);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) * 1e9 / perSecond)));
        }
    }

    private long nanos() {
        // From the injected clock so that tests control refill; millisecond resolution is enough here.
        return clock.millis() * 1_000_000L;
    }
}
