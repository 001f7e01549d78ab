package io.bookinghub.hub.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** The sync engine: worker threads, scheduler cadence and crash detection. Durations are ISO-8601 (PT10S). */
public class SyncConfig {
    /** Whether this process claims and starts scheduled syncs (admin-triggered syncs work either way). */
    @JsonProperty
    private boolean schedulerEnabled = true;

    /** How often the scheduler looks for due connections. */
    @NotNull
    @JsonProperty
    private Duration pollInterval = Duration.ofSeconds(10);

    /** A RUNNING run whose heartbeat is older than this is considered abandoned by a dead hub process. */
    @NotNull
    @JsonProperty
    private Duration staleRunAfter = Duration.ofMinutes(2);

    /** How often this process refreshes the heartbeat of the runs it executes. */
    @NotNull
    @JsonProperty
    private Duration heartbeatInterval = Duration.ofSeconds(15);

    /** Minimum gap between progress writes and cancel-flag reads of one run. */
    @NotNull
    @JsonProperty
    private Duration progressWriteInterval = Duration.ofMillis(500);

    /** How long shutdown waits for running syncs to notice cancellation and stop. */
    @NotNull
    @JsonProperty
    private Duration shutdownGrace = Duration.ofSeconds(30);

    /** How long {@code POST .../sync?wait=true} blocks before answering 202 with the still running run. */
    @NotNull
    @JsonProperty
    private Duration maxWait = Duration.ofMinutes(5);

    /** Syncs executing at once in this process. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int threads = 4;

    /** Accepted runs waiting for a thread; beyond this a start is refused. */
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int queueCapacity = 1000;

    /** Due connections claimed per scheduler poll. */
    @Min(1)
    @Max(1000)
    @JsonProperty
    private int claimBatch = 10;

    @JsonIgnore
    @ValidationMethod(message = "sync.heartbeatInterval must be positive and shorter than half of sync.staleRunAfter,"
            + " and sync.pollInterval and sync.progressWriteInterval must be positive")
    public boolean isConsistent() {
        if (heartbeatInterval == null || staleRunAfter == null || pollInterval == null || progressWriteInterval == null) {
            return true; // @NotNull reports these
        }
        return !heartbeatInterval.isNegative() && !heartbeatInterval.isZero()
                && heartbeatInterval.multipliedBy(2).compareTo(staleRunAfter) < 0
                && !pollInterval.isNegative() && !pollInterval.isZero()
                && !progressWriteInterval.isNegative();
    }

    public boolean isSchedulerEnabled() {
        return schedulerEnabled;
    }

    public void setSchedulerEnabled(boolean schedulerEnabled) {
        this.schedulerEnabled = schedulerEnabled;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getStaleRunAfter() {
        return staleRunAfter;
    }

    public void setStaleRunAfter(Duration staleRunAfter) {
        this.staleRunAfter = staleRunAfter;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getProgressWriteInterval() {
        return progressWriteInterval;
    }

    public void setProgressWriteInterval(Duration progressWriteInterval) {
        this.progressWriteInterval = progressWriteInterval;
    }

    public Duration getShutdownGrace() {
        return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public int getClaimBatch() {
        return claimBatch;
    }

    public void setClaimBatch(int claimBatch) {
        this.claimBatch = claimBatch;
    }
}
