package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.RateBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throttles every call to Booksy: permits come from the hub's {@link RateBudget}, shared by every hub node, in
 * one bucket per budget key (the Booksy app, and the Booksy business), each holding the operator's rate with up to
 * {@code burst} permits after an idle period; plus a "paused until" instant shared by all callers of the
 * connection, set when Booksy answers 429/503 with {@code Retry-After}.
 *
 * <p>Time comes from the context's clock and waits go through the {@link Sleeper}, so tests pace calls without
 * sleeping.
 */
public final class BooksyRateLimiter {
    /** Longest pause a Retry-After may impose; a larger value is treated as this. */
    public static final Duration MAX_PAUSE = Duration.ofMinutes(5);

    private final RateBudget budget;
    private final RateBudget.Limit limit;
    private final List<String> keys;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);

    /**
     * @param keys the budgets every call draws one permit from, e.g. {@link #appKey} and {@link #businessKey}
     */
    public BooksyRateLimiter(RateBudget budget, RateBudget.Limit limit, List<String> keys, Clock clock,
            Sleeper sleeper) {
        this.budget = requireNonNull(budget, "budget is null");
        this.limit = requireNonNull(limit, "limit is null");
        this.keys = List.copyOf(requireNonNull(keys, "keys is null"));
        if (this.keys.isEmpty()) {
            throw new IllegalArgumentException("at least one budget key is needed");
        }
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    /** The budget of one Booksy app (OAuth client), whichever business it calls for. */
    public static String appKey(String clientId) {
        return "app:" + requireNonNull(clientId, "clientId is null");
    }

    /** The budget of one Booksy business. */
    public static String businessKey(String businessId) {
        return "business:" + requireNonNull(businessId, "businessId is null");
    }

    /**
     * Blocks until the connection is not paused and a permit of every budget is available.
     *
     * @return how long the call waited for the budgets (excluding any pause)
     */
    public Duration acquire() {
        waitWhilePaused();
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Duration forKey = budget.reserve(key, limit, 1);
            if (forKey.compareTo(wait) > 0) {
                wait = forKey;
            }
        }
        if (!wait.isZero()) {
            sleep(wait);
        }
        return wait;
    }

    private void waitWhilePaused() {
        while (true) {
            Duration remaining = Duration.between(clock.instant(), pausedUntil.get());
            if (remaining.isNegative() || remaining.isZero()) {
                return;
            }
            sleep(remaining);
        }
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "Interrupted while waiting to call Booksy");
        }
    }

    /** Pauses all callers for {@code duration} (capped at {@link #MAX_PAUSE}); never shortens a pause. */
    public void pauseFor(Duration duration) {
        Duration capped = duration.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : duration;
        if (capped.isNegative() || capped.isZero()) {
            return;
        }
        Instant until = clock.instant().plus(capped);
        pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** When the current pause ends ({@link Instant#MIN} if never paused). */
    public Instant pausedUntil() {
        return pausedUntil.get();
    }

    /** The configured budget. */
    public RateBudget.Limit limit() {
        return limit;
    }

    /**
     * Parses a {@code Retry-After} value: delta-seconds or an HTTP-date (RFC 9110), against the clock.
     * Returns empty for absent or unparseable values; the result is capped at {@link #MAX_PAUSE} and
     * never negative.
     */
    public static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        Duration delay;
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                delay = Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException e) {
                delay = MAX_PAUSE; // absurdly many digits
            }
        } else {
            try {
                ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                delay = Duration.between(clock.instant(), at.toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        return Optional.of(delay.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : delay);
    }
}
