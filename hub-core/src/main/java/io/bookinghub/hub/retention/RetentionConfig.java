package io.bookinghub.hub.retention;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The {@code retention} section of config.yml: how long audit and history rows are kept. Durations are ISO-8601
 * (P30D). The job deletes in batches of {@code batchSize}, each its own short transaction.
 */
public class RetentionConfig {
    @JsonProperty
    private boolean enabled = true;

    /** How often each node tries to run the job; only one node runs it at a time. */
    @JsonProperty
    private Duration interval = Duration.ofHours(1);

    @JsonProperty
    @Min(1)
    @Max(100_000)
    private int batchSize = 1_000;

    /** Outbound provider calls ({@code api_call_log}). */
    @JsonProperty
    private Duration apiCalls = Duration.ofDays(30);

    /** Finished sync and import runs with their logs ({@code sync_runs}, {@code sync_logs}). */
    @JsonProperty
    private Duration syncRuns = Duration.ofDays(90);

    /** Connection events ({@code connection_events}). */
    @JsonProperty
    private Duration connectionEvents = Duration.ofDays(180);

    /** Finished webhook inbox rows (DONE, PARKED, UNROUTED), by when they were received. */
    @JsonProperty
    private Duration webhookInbox = Duration.ofDays(30);

    /** Webhook audit rows of accepted and duplicate deliveries ({@code webhook_log}). */
    @JsonProperty
    private Duration webhookAudit = Duration.ofDays(30);

    /** Webhook audit rows of refused and invalid requests: anyone can cause them, so they go sooner. */
    @JsonProperty
    private Duration refusedWebhookAudit = Duration.ofDays(7);

    /**
     * Finished booking commands ({@code booking_commands}), by when they finished: with them go their Idempotency-Keys,
     * so at least a day (a retry with the same key after that would book again).
     */
    @JsonProperty
    private Duration bookingCommands = Duration.ofDays(7);
    /** The change feed ({@code model_changes}); an app's cursor older than this answers 410. */
    @JsonProperty
    private Duration changeFeed = Duration.ofDays(30);

    /** Delivered and failed app webhook deliveries and their attempts; pending ones are kept. */
    @JsonProperty
    private Duration appWebhookDeliveries = Duration.ofDays(30);

    public boolean isEnabled() {
        return enabled;
    }

    public Duration getInterval() {
        return interval;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public Duration getApiCalls() {
        return apiCalls;
    }

    public Duration getSyncRuns() {
        return syncRuns;
    }

    public Duration getConnectionEvents() {
        return connectionEvents;
    }

    public Duration getWebhookInbox() {
        return webhookInbox;
    }

    public Duration getWebhookAudit() {
        return webhookAudit;
    }

    public Duration getRefusedWebhookAudit() {
        return refusedWebhookAudit;
    }

    public Duration getBookingCommands() {
        return bookingCommands;
    }

    @AssertTrue(message = "bookingCommands must be at least P1D: Idempotency-Keys are kept with their commands")
    boolean isBookingCommandsValid() {
        return bookingCommands != null && bookingCommands.compareTo(Duration.ofDays(1)) >= 0;
    }

    public Duration getChangeFeed() {
        return changeFeed;
    }

    public Duration getAppWebhookDeliveries() {
        return appWebhookDeliveries;
    }

    @AssertTrue(message = "interval and every retention period must be positive durations")
    boolean isDurationsValid() {
        return Stream.of(interval, apiCalls, syncRuns, connectionEvents, webhookInbox, webhookAudit,
                refusedWebhookAudit, changeFeed, appWebhookDeliveries).allMatch(d -> d != null && !d.isNegative() && !d.isZero());
    }
}
