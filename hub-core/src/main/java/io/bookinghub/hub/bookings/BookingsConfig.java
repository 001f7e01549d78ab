package io.bookinghub.hub.bookings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The {@code bookings} section of config.yml: the command workers of two-way booking. Durations are ISO-8601
 * (PT30S).
 */
public class BookingsConfig {
    /** Threads per node that send and reconcile commands; 0 leaves it to the request threads and other nodes. */
    @JsonProperty
    @Min(0)
    @Max(64)
    private int workerThreads = 2;

    /** How long an idle worker waits before it looks for due commands again. */
    @JsonProperty
    private Duration pollInterval = Duration.ofMillis(500);

    @JsonProperty
    @Min(1)
    @Max(100)
    private int claimBatchSize = 5;

    /**
     * How long a claim lasts: longer than any provider call may take (the connector's request timeout), so that it
     * only runs out when its node died; another node then looks the command up before sending anything again.
     */
    @JsonProperty
    private Duration lease = Duration.ofMinutes(2);

    /**
     * How long a write request waits for the provider's answer before it answers 202 with the command (the app then
     * repeats the request with the same Idempotency-Key for the final answer).
     */
    @JsonProperty
    private Duration requestWait = Duration.ofSeconds(10);

    /** Sends of one command before the hub gives up (only ever after the provider was found not to have it). */
    @JsonProperty
    @Min(1)
    @Max(100)
    private int maxAttempts = 5;

    @JsonProperty
    private Duration initialBackoff = Duration.ofSeconds(1);

    @JsonProperty
    private Duration maxBackoff = Duration.ofMinutes(1);

    public int getWorkerThreads() {
        return workerThreads;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public int getClaimBatchSize() {
        return claimBatchSize;
    }

    public Duration getLease() {
        return lease;
    }

    public Duration getRequestWait() {
        return requestWait;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    @JsonIgnore
    @AssertTrue(message = "pollInterval, lease, requestWait, initialBackoff and maxBackoff must be positive, "
            + "initialBackoff at most maxBackoff and requestWait at most PT60S")
    boolean isDurationsValid() {
        boolean positive = Stream.of(pollInterval, lease, requestWait, initialBackoff, maxBackoff)
                .allMatch(d -> d != null && !d.isNegative() && !d.isZero());
        return positive && initialBackoff.compareTo(maxBackoff) <= 0 && requestWait.compareTo(Duration.ofMinutes(1)) <= 0;
    }
}
