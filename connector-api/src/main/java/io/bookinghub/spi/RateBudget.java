package io.bookinghub.spi;

import java.time.Duration;

/**
 * Request budgets shared by every hub node: a provider's limit (per app, per provider account, ...) holds however
 * many hub processes call it at once. Each budget is a token bucket named by the connector; the hub keeps the
 * buckets of different connectors apart, so a key only has to be unique within one connector.
 *
 * <p>A caller reserves permits and then waits the returned time (with its own sleeper, on the context's clock)
 * before the call; reserving is what keeps concurrent callers on all nodes from taking the same permits.
 */
public interface RateBudget {

    /**
     * A token bucket: {@code perSecond} permits refill continuously, and up to {@code burst} are kept for a burst
     * after an idle period.
     */
    record Limit(double perSecond, int burst) {
        public Limit {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("perSecond must be positive and finite: " + perSecond);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1: " + burst);
            }
        }

        /** Time between two permits at the sustained rate (at least a nanosecond). */
        public Duration interval() {
            return Duration.ofNanos(Math.max(1, Math.round(1_000_000_000d / perSecond)));
        }
    }

    /**
     * Takes {@code permits} from the budget {@code key}, created with {@code limit} on first use (a budget
     * whose limit changes starts afresh), and says how long the caller must wait before using them.
     *
     * @param permits at most {@code limit.burst()}
     * @return zero when the permits are available now
     * @throws ConnectorException PROVIDER_UNAVAILABLE (retryable) when the shared budget cannot be reached
     */
    Duration reserve(String key, Limit limit, int permits);
}
