package io.bookinghub.hub.webhooks;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery as admins see it: the audit row joined with the inbox row that carries its effect.
 *
 * @param id      audit row id
 * @param status  REFUSED, INVALID or DUPLICATE for deliveries that never reached the inbox as new events,
 *                otherwise the inbox status (PENDING, DONE, PARKED, UNROUTED)
 * @param inboxId the inbox row to reprocess, or null
 */
public record WebhookEventView(long id, Long inboxId, String connectorId, UUID businessId, UUID connectionId,
        String eventId, String eventType, String status, String outcome, String signatureOutcome, String reason,
        Integer httpStatus, Integer attempts, String lastError, Instant receivedAt, Instant processedAt,
        int bodySize) {
}
