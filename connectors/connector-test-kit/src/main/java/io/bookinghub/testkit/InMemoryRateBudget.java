package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.RateBudget;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hub's shared rate budget in memory: the same Bucket4j token buckets, on the test's clock, so pacing can be
 * tested without sleeping (advance the clock by what {@link #reserve} returned). Share one instance between
 * several contexts to stand for several hub nodes. Records each reservation's key for assertions.
 */
public final class InMemoryRateBudget implements RateBudget {
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final List<String> reservedKeys = new CopyOnWriteArrayList<>();

    public InMemoryRateBudget(Clock clock) {
        requireNonNull(clock, "clock is null");
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return Duration.between(Instant.EPOCH, clock.instant()).toNanos();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    @Override
    public Duration reserve(String key, Limit limit, int permits) {
        requireNonNull(key, "key is null");
        requireNonNull(limit, "limit is null");
        if (permits < 1 || permits > limit.burst()) {
            throw new IllegalArgumentException("permits must be between 1 and the burst: " + permits);
        }
        reservedKeys.add(key);
        Bucket bucket = buckets.computeIfAbsent(key + "@" + limit, k -> Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.burst()).refillGreedy(1, limit.interval()))
                .withCustomTimePrecision(time)
                .build());
        return Duration.ofNanos(bucket.consumeIgnoringRateLimits(permits));
    }

    /** Keys reserved so far, oldest first. */
    public List<String> reservedKeys() {
        return List.copyOf(reservedKeys);
    }
}
