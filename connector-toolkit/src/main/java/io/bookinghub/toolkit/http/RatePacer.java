package io.bookinghub.toolkit.http;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.RateBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Paces the calls of one connection: every call takes one permit from each of its budgets in the hub's
 * {@link RateBudget} (shared by every hub node, so a provider's limit holds however many nodes call it), and waits
 * while the connection is paused by a provider's {@code Retry-After}. A budget is named by a key the connector
 * chooses: one per provider app ({@code app:<clientId>}) and one per provider account ({@code account:<id>}) is
 * the usual pair.
 *
 * <p>Time comes from the clock and waits go through the {@link Sleeper}, so tests pace calls without sleeping.
 * Thread-safe.
 */
public final class RatePacer {
    private final RateBudget budget;
    private final RateBudget.Limit limit;
    private final List<String> keys;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);

    /**
     * @param keys the budgets every call draws one permit from; none only honours pauses
     */
    public RatePacer(RateBudget budget, RateBudget.Limit limit, List<String> keys, Clock clock, Sleeper sleeper) {
        this.budget = requireNonNull(budget, "budget is null");
        this.limit = requireNonNull(limit, "limit is null");
        this.keys = List.copyOf(requireNonNull(keys, "keys is null"));
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    /**
     * Blocks until the connection is not paused and a permit of every budget is available.
     *
     * @return how long the call waited for the budgets (a pause not included)
     * @throws ConnectorException PROVIDER_UNAVAILABLE when interrupted (the interrupt flag is kept)
     */
    public Duration acquire() {
        // Looped because another caller may extend the pause meanwhile; but a clock that did not move while we
        // slept (a test's frozen clock, with a real sleeper) would never end it: then the pause counts as served.
        for (Duration left = untilResumed(); positive(left); left = untilResumed()) {
            Instant before = clock.instant();
            sleep(left);
            if (!clock.instant().isAfter(before)) {
                break;
            }
        }
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Duration forKey = budget.reserve(key, limit, 1);
            if (forKey.compareTo(wait) > 0) {
                wait = forKey;
            }
        }
        if (positive(wait)) {
            sleep(wait);
        }
        return wait;
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private Duration untilResumed() {
        return Duration.between(clock.instant(), pausedUntil.get());
    }

    /** Pauses every caller for {@code duration}; never shortens a pause already set. */
    public void pauseFor(Duration duration) {
        if (positive(duration)) {
            Instant until = clock.instant().plus(duration);
            pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** When the current pause ends ({@link Instant#MIN} if never paused). */
    public Instant pausedUntil() {
        return pausedUntil.get();
    }

    void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "interrupted while waiting to call the provider");
        }
    }
}
