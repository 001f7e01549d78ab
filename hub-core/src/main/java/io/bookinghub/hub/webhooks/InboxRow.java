package io.bookinghub.hub.webhooks;

import io.bookinghub.spi.webhook.WebhookEvent;
import java.time.Instant;
import java.util.UUID;

/** A stored webhook_inbox row. {@code attempts} doubles as the lease token of a claim. */
public record InboxRow(long id, String connectorId, String dedupKey, UUID businessId, UUID connectionId,
        String eventId, String eventType, String accountId, Instant occurredAt, String payload, String status,
        int attempts, Instant nextAttemptAt, String lastError, Instant receivedAt, Instant processedAt,
        String traceParent) {

    static final String COLUMNS = "id, connector_id, dedup_key, business_id, connection_id, event_id, event_type, "
            + "account_id, occurred_at, payload, status, attempts, next_attempt_at, last_error, received_at, "
            + "processed_at, trace_parent";

    /** The event as the connector parsed it, for {@code WebhookHandler.apply}. */
    public WebhookEvent event() {
        return new WebhookEvent(eventId, eventType, accountId, occurredAt, payload);
    }
}
