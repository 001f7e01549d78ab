package io.bookinghub.spi.webhook;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One provider event, parsed from a verified request.
 *
 * @param eventId    provider's event id, or null when it sends none (the hub then deduplicates on a
 *                   hash of the body)
 * @param type       event type, e.g. {@code appointment.updated}
 * @param accountId  provider account (business) the event belongs to, used for routing
 * @param occurredAt when the provider says it happened, or null
 * @param payloadJson the event's JSON, as the connector will need it in {@link WebhookHandler#apply}
 */
public record WebhookEvent(String eventId, String type, String accountId, Instant occurredAt, String payloadJson) {
    public WebhookEvent {
        requireNonNull(type, "type is null");
        requireNonNull(payloadJson, "payloadJson is null");
    }
}
