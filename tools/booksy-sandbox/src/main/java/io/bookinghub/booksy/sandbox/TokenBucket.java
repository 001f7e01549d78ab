package io.bookinghub.booksy.sandbox;

import java.time.Clock;
import java.util.Objects;

/**
 * Classic token bucket driven by the injected clock, so tests with a fixed clock see a bucket that never
 * refills and can assert exact 429 behaviour.
 */
final class TokenBucket {

    private final Clock clock;
    private final double ratePerSecond;
    private final double capacity;
    private double tokens;
    private long lastRefillMillis;

    TokenBucket(Clock clock, double ratePerSecond, int burst) {
        this.clock = Objects.requireNonNull(clock, "clock is null");
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = burst;
        this.tokens = burst;
        this.lastRefillMillis = clock.millis();
    }

    /** Takes one token; returns 0 on success, otherwise the whole seconds to wait before retrying (>= 1). */
    synchronized long tryAcquire() {
        long now = clock.millis();
        if (now > lastRefillMillis) {
            tokens = Math.min(capacity, tokens + (now - lastRefillMillis) / 1000.0 * ratePerSecond);
            lastRefillMillis = now;
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1.0 - tokens) / ratePerSecond));
    }
}
