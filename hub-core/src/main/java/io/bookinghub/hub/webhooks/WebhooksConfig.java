package io.bookinghub.hub.webhooks;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Webhook intake, inbox workers and audit retention. */
public class WebhooksConfig {
    /** Requests with a larger body are refused with 413 before anything parses them. */
    @Min(1024)
    @Max(16 * 1024 * 1024)
    @JsonProperty
    private int maxBodyBytes = 256 * 1024;

    /** Inbox worker threads in this process; 0 runs none (another process drains the inbox). */
    @Min(0)
    @Max(64)
    @JsonProperty
    private int workerThreads = 2;

    /** How long an idle worker waits before looking for due events again. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration pollInterval = Duration.milliseconds(500);

    /** Events claimed per worker round trip. */
    @Min(1)
    @Max(1000)
    @JsonProperty
    private int claimBatchSize = 40;

    /**
     * At most this many events of one connection per claim; the batch is filled round-robin across
     * connections, so one connection's backlog cannot fill every batch while another's events wait. A claim's
     * events of one connection are applied as one group (one commit), so this also sets how many applies share a
     * commit and a claim: at 5 (with batches of 10) the workers applied a burst more slowly than it arrived
     * (0.79-0.94x the intake rate), at 20 (batches of 40) faster (1.23-1.57x); docs/benchmarks.md section 15.
     */
    @Min(1)
    @Max(1000)
    @JsonProperty
    private int claimPerConnection = 20;

    /**
     * Workers of this process one connection may hold at once (an apply still running past its deadline
     * counts). With the default 2 workers and 1 here, another tenant always finds a worker.
     */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int maxWorkersPerConnection = 1;

    /**
     * Deadline of one apply. A connector call still running after this costs its event a retry (with
     * backoff) and frees the worker; the call keeps its connection's worker slot until it really ends.
     */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration applyTimeout = Duration.seconds(30);

    /**
     * Verified webhooks one connection may deliver per second to this node, on average (token bucket);
     * beyond it the answer is 429 with Retry-After, and the provider sends the event again later. 0: no limit.
     */
    @DecimalMin("0")
    @DecimalMax("1000000")
    @JsonProperty
    private double intakePerConnectionPerSecond = 50;

    /** Burst of the per-connection intake limit: deliveries accepted at once after a quiet period. */
    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int intakeBurstPerConnection = 500;

    /** How often each node records that it is alive (hub_nodes). */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration nodeHeartbeatInterval = Duration.seconds(2);

    /**
     * A node whose last heartbeat is older than this is taken for dead: a live node hands its webhook
     * claims back instead of waiting out their lease. At least twice the heartbeat interval.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration nodeStaleAfter = Duration.seconds(10);

    /** Applies tried before an event is parked. */
    @Min(1)
    @Max(100)
    @JsonProperty
    private int maxAttempts = 8;

    /** Backoff after the first failure; doubled after each further one, up to {@link #maxBackoff}. */
    @NotNull
    @JsonProperty
    private Duration initialBackoff = Duration.seconds(5);

    @NotNull
    @JsonProperty
    private Duration maxBackoff = Duration.minutes(30);

    /** A claimed event is offered again after this long when its worker died before finishing it. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration lease = Duration.minutes(5);

    /**
     * How long the connections of a provider account are cached for routing (0: not cached). Changes made
     * on this node apply at once; changes made on another node are seen after at most this long.
     */
    @NotNull
    @JsonProperty
    private Duration routingCacheTtl = Duration.seconds(2);

    /** Group commit: most intake writes committed in one transaction. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int writerBatchSize = 200;

    /**
     * Group-commit writer threads, each with its own transaction (and pooled connection): while one waits for
     * its commit to reach the disk, the next group is already being written.
     */
    @Min(1)
    @Max(16)
    @JsonProperty
    private int writerThreads = 2;

    /** Intake writes waiting for the writer; beyond this requests get 503. */
    @Min(1)
    @JsonProperty
    private int writerQueueCapacity = 10_000;

    /** How long a request waits for its commit before answering 503. */
    @NotNull
    @JsonProperty
    private Duration ackTimeout = Duration.seconds(10);

    /**
     * Refused requests audited per connection (per connector when no connection is known) and minute; the
     * rest are only counted (metric).
     */
    @Min(0)
    @JsonProperty
    private int refusedAuditPerMinute = 120;

    /** Audit rows and finished inbox rows older than this are deleted. */
    @NotNull
    @JsonProperty
    private Duration retention = Duration.days(30);

    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getClaimBatchSize() {
        return claimBatchSize;
    }

    public void setClaimBatchSize(int claimBatchSize) {
        this.claimBatchSize = claimBatchSize;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public Duration getRoutingCacheTtl() {
        return routingCacheTtl;
    }

    public void setRoutingCacheTtl(Duration routingCacheTtl) {
        this.routingCacheTtl = routingCacheTtl;
    }

    public int getWriterBatchSize() {
        return writerBatchSize;
    }

    public void setWriterBatchSize(int writerBatchSize) {
        this.writerBatchSize = writerBatchSize;
    }

    public int getWriterThreads() {
        return writerThreads;
    }

    public void setWriterThreads(int writerThreads) {
        this.writerThreads = writerThreads;
    }

    public int getWriterQueueCapacity() {
        return writerQueueCapacity;
    }

    public void setWriterQueueCapacity(int writerQueueCapacity) {
        this.writerQueueCapacity = writerQueueCapacity;
    }

    public Duration getAckTimeout() {
        return ackTimeout;
    }

    public void setAckTimeout(Duration ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public int getRefusedAuditPerMinute() {
        return refusedAuditPerMinute;
    }

    public void setRefusedAuditPerMinute(int refusedAuditPerMinute) {
        this.refusedAuditPerMinute = refusedAuditPerMinute;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public int getClaimPerConnection() {
        return claimPerConnection;
    }

    public void setClaimPerConnection(int claimPerConnection) {
        this.claimPerConnection = claimPerConnection;
    }

    public int getMaxWorkersPerConnection() {
        return maxWorkersPerConnection;
    }

    public void setMaxWorkersPerConnection(int maxWorkersPerConnection) {
        this.maxWorkersPerConnection = maxWorkersPerConnection;
    }

    public Duration getApplyTimeout() {
        return applyTimeout;
    }

    public void setApplyTimeout(Duration applyTimeout) {
        this.applyTimeout = applyTimeout;
    }

    public double getIntakePerConnectionPerSecond() {
        return intakePerConnectionPerSecond;
    }

    public void setIntakePerConnectionPerSecond(double intakePerConnectionPerSecond) {
        this.intakePerConnectionPerSecond = intakePerConnectionPerSecond;
    }

    public int getIntakeBurstPerConnection() {
        return intakeBurstPerConnection;
    }

    public void setIntakeBurstPerConnection(int intakeBurstPerConnection) {
        this.intakeBurstPerConnection = intakeBurstPerConnection;
    }

    public Duration getNodeHeartbeatInterval() {
        return nodeHeartbeatInterval;
    }

    public void setNodeHeartbeatInterval(Duration nodeHeartbeatInterval) {
        this.nodeHeartbeatInterval = nodeHeartbeatInterval;
    }

    public Duration getNodeStaleAfter() {
        return nodeStaleAfter;
    }

    public void setNodeStaleAfter(Duration nodeStaleAfter) {
        this.nodeStaleAfter = nodeStaleAfter;
    }
}
