package io.bookinghub.hub.appwebhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Outbound webhooks for apps ({@code appWebhooks:} in config.yml). */
public class AppWebhooksConfig {
    /** Delivery threads in this process; 0 sends nothing from here (other nodes do). */
    @Min(0)
    @Max(64)
    @JsonProperty
    private int workerThreads = 2;

    /** How long an idle worker (or the fan-out) waits before looking again. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration pollInterval = Duration.milliseconds(200);

    /** Deliveries claimed per worker round trip. */
    @Min(1)
    @Max(1000)
    @JsonProperty
    private int claimBatchSize = 10;

    /** Changes turned into deliveries per fan-out transaction. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int fanoutBatchSize = 500;

    /**
     * How long a claimed delivery is held by a worker that may have died; longer than any one send may take
     * ({@code requestTimeout}).
     */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration lease = Duration.minutes(2);

    /** Deadline of one delivery request (also capped by {@code outbound.maxRequestTimeout}). */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration requestTimeout = Duration.seconds(15);

    /** Wait after the first failure; it doubles with every further failure up to {@code maxBackoff}. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration initialBackoff = Duration.seconds(5);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration maxBackoff = Duration.hours(1);

    /**
     * How long a delivery is retried. Past it the delivery fails and its endpoint is disabled (and announced), so a
     * receiver gone for good is noticed instead of retried for ever; its later events wait until it is enabled.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration retryFor = Duration.days(3);

    /** How long the previous secret still signs after a rotation when the request does not say. */
    @NotNull
    @MaxDuration(value = 7, unit = TimeUnit.DAYS)
    @JsonProperty
    private Duration rotationOverlap = Duration.hours(24);

    @JsonIgnore
    @ValidationMethod(message = "lease must be longer than requestTimeout: a claim must outlast its send")
    public boolean isLeaseLongerThanRequest() {
        return lease.toNanoseconds() > requestTimeout.toNanoseconds();
    }

    @JsonIgnore
    @ValidationMethod(message = "maxBackoff must not be shorter than initialBackoff")
    public boolean isBackoffOrdered() {
        return maxBackoff.toNanoseconds() >= initialBackoff.toNanoseconds();
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public int getClaimBatchSize() {
        return claimBatchSize;
    }

    public int getFanoutBatchSize() {
        return fanoutBatchSize;
    }

    public Duration getLease() {
        return lease;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public Duration getRetryFor() {
        return retryFor;
    }

    public Duration getRotationOverlap() {
        return rotationOverlap;
    }
}
