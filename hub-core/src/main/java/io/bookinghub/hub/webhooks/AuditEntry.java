package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * One webhook_log row. Holds only what an admin needs to follow a delivery: never the body, a
 * header or a secret.
 *
 * @param signatureOutcome VERIFIED, FAILED or NOT_CHECKED
 * @param reason           refusal or error code with a short safe message, null when accepted
 */
record AuditEntry(String connectorId, UUID businessId, UUID connectionId, String eventId, String eventType,
        String signatureOutcome, String reason, DeliveryOutcome outcome, int httpStatus, Instant receivedAt,
        int bodySize) {
    static final String VERIFIED = "VERIFIED";
    static final String FAILED = "FAILED";
    static final String NOT_CHECKED = "NOT_CHECKED";

    AuditEntry {
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(signatureOutcome, "signatureOutcome is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(receivedAt, "receivedAt is null");
        reason = reason == null ? null : WebhookStore.truncate(reason);
    }

    AuditEntry withOutcome(DeliveryOutcome newOutcome) {
        return new AuditEntry(connectorId, businessId, connectionId, eventId, eventType, signatureOutcome, reason,
                newOutcome, httpStatus, receivedAt, bodySize);
    }
}
