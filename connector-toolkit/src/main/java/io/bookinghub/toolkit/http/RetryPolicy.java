package io.bookinghub.toolkit.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When {@link ProviderHttp} sends a request again. Only idempotent requests are retried (GET, HEAD, PUT, DELETE,
 * OPTIONS, or any request given an idempotency key): a POST that timed out may have taken effect, and sending it
 * again could book twice. Retried are transport failures (connection refused, timeouts), 429 and every 5xx.
 *
 * <p>Waits are full-jitter exponential backoff (uniform in {@code [0, min(backoffCap, backoffBase * 2^(n-1)))}
 * before retry {@code n}, drawn from the context's random), or the provider's {@code Retry-After} when that is
 * longer (capped at {@code maxRetryAfter}). No attempt starts after {@code deadline} has passed since the first
 * one started (on the context's clock), and a wait that would end past it is not begun: the request fails at once
 * with the last failure's code.
 *
 * @param maxAttempts   attempts in all, at least 1 (1 = never retry)
 * @param backoffBase   the first backoff ceiling, positive
 * @param backoffCap    the largest backoff ceiling, at least {@code backoffBase}
 * @param deadline      the overall time budget of one request, retries and waits included
 * @param maxRetryAfter the longest {@code Retry-After} honoured as given
 */
public record RetryPolicy(int maxAttempts, Duration backoffBase, Duration backoffCap, Duration deadline,
        Duration maxRetryAfter) {
    /** 5 attempts, 0.5 s doubling to 30 s, 5 minutes in all, {@code Retry-After} up to 5 minutes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofMinutes(5));

    public RetryPolicy {
        requireNonNull(backoffBase, "backoffBase is null");
        requireNonNull(backoffCap, "backoffCap is null");
        requireNonNull(deadline, "deadline is null");
        requireNonNull(maxRetryAfter, "maxRetryAfter is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffBase must be positive and backoffCap at least backoffBase");
        }
        if (deadline.isNegative() || deadline.isZero() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("deadline must be positive and maxRetryAfter not negative");
        }
    }

    /** Never retry (writes that must not be repeated, or a caller that retries itself). */
    public static RetryPolicy none() {
        return DEFAULT.withMaxAttempts(1);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, backoffBase, backoffCap, deadline, maxRetryAfter);
    }

    public RetryPolicy withBackoff(Duration base, Duration cap) {
        return new RetryPolicy(maxAttempts, base, cap, deadline, maxRetryAfter);
    }

    public RetryPolicy withDeadline(Duration overall) {
        return new RetryPolicy(maxAttempts, backoffBase, backoffCap, overall, maxRetryAfter);
    }

    /** The full-jitter wait before retry {@code n} (n = 1 after the first attempt failed). */
    public Duration backoff(int n, RandomGenerator random) {
        double ceiling = Math.min((double) backoffCap.toNanos(), backoffBase.toNanos() * Math.pow(2, n - 1));
        return Duration.ofNanos((long) (random.nextDouble() * ceiling));
    }
}
