package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.RateLimiter;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throttles every call of one connection: a token bucket of {@code rate} permits per second that
 * holds up to {@code burst} permits after an idle period, plus a "paused until" instant shared by
 * all callers, set when Booksy answers 429/503 with {@code Retry-After}.
 *
 * <p>Guava's public {@code RateLimiter.create(rate)} keeps only one second's worth of permits (and
 * {@code setRate} resets the bucket to one second), so a burst of 50 at 10/s is not expressible through
 * the public API. We therefore construct Guava's package-private {@code SmoothBursty} with
 * {@code maxBurstSeconds = burst / rate} reflectively, via the class loader that loaded
 * {@link RateLimiter} (under PF4J that is the plugin's loader, so no class is ever injected into
 * Guava's package).
 */
public final class BooksyRateLimiter {
    /** Longest pause a Retry-After may impose; a larger value is treated as this. */
    public static final Duration MAX_PAUSE = Duration.ofMinutes(5);

    private final RateLimiter limiter;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);

    public BooksyRateLimiter(double permitsPerSecond, int burst, Clock clock, Sleeper sleeper) {
        if (!(permitsPerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.limiter = bursty(permitsPerSecond, burst / permitsPerSecond);
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    /**
     * Creates a Guava SmoothBursty limiter that stores up to {@code maxBurstSeconds * rate} permits.
     *
     * @throws IllegalStateException when Guava's internals no longer match (checked by a test)
     */
    static RateLimiter bursty(double permitsPerSecond, double maxBurstSeconds) {
        ClassLoader guava = RateLimiter.class.getClassLoader();
        try {
            Class<?> stopwatchType = Class.forName(RateLimiter.class.getName() + "$SleepingStopwatch", true, guava);
            Method systemTimer = stopwatchType.getMethod("createFromSystemTimer");
            systemTimer.setAccessible(true);
            Object stopwatch = systemTimer.invoke(null);
            Class<?> burstyType = Class.forName("com.google.common.util.concurrent.SmoothRateLimiter$SmoothBursty",
                    true, guava);
            Constructor<?> constructor = burstyType.getDeclaredConstructor(stopwatchType, double.class);
            constructor.setAccessible(true);
            RateLimiter limiter = (RateLimiter) constructor.newInstance(stopwatch, maxBurstSeconds);
            limiter.setRate(permitsPerSecond);
            return limiter;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot create a bursty Guava RateLimiter: Guava's internal "
                    + "SmoothRateLimiter$SmoothBursty(SleepingStopwatch, double) is not available in this Guava "
                    + "version (" + e + ")", e);
        }
    }

    /**
     * Blocks until the connection is not paused and a permit is available.
     *
     * @return seconds spent waiting for the rate limiter (excluding any pause), as Guava reports it
     */
    public double acquire() {
        waitWhilePaused();
        return limiter.acquire();
    }

    private void waitWhilePaused() {
        while (true) {
            Duration remaining = Duration.between(clock.instant(), pausedUntil.get());
            if (remaining.isNegative() || remaining.isZero()) {
                return;
            }
            try {
                sleeper.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "Interrupted while Booksy is paused");
            }
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

    /** The configured sustained rate. */
    public double rate() {
        return limiter.getRate();
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
