package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A webhook_inbox row to insert: one verified event, routed (PENDING) or not (UNROUTED), with the W3C
 * {@code traceparent} of the request that brought it (null when tracing is off).
 */
record InboxEntry(String connectorId, String dedupKey, UUID businessId, UUID connectionId, String eventId,
        String eventType, String accountId, Instant occurredAt, String payload, InboxStatus status,
        String note, Instant receivedAt, String traceParent) {
    InboxEntry {
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(dedupKey, "dedupKey is null");
        requireNonNull(eventType, "eventType is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(status, "status is null");
        requireNonNull(receivedAt, "receivedAt is null");
        if (status != InboxStatus.PENDING && status != InboxStatus.UNROUTED) {
            throw new IllegalArgumentException("new inbox rows are PENDING or UNROUTED, not " + status);
        }
    }
}
