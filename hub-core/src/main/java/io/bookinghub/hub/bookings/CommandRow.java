package io.bookinghub.hub.bookings;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A booking_commands row. {@code request} is the command's JSON ({@link CommandRequest}). */
public record CommandRow(UUID id, UUID businessId, UUID connectionId, String connectorId, CommandKind kind,
        String idempotencyKey, String requestHash, String request, String appointmentExternalId, UUID appointmentId,
        CommandState state, int attempts, Instant nextAttemptAt, String claimedBy, Instant leaseUntil,
        Integer responseStatus, String response, String errorCode, String lastError, String transitions,
        UUID createdBy, Instant createdAt, Instant updatedAt, Instant finishedAt) {
    static final String COLUMNS = "id, business_id, connection_id, connector_id, kind, idempotency_key, request_hash, "
            + "request, appointment_external_id, appointment_id, state, attempts, next_attempt_at, claimed_by, "
            + "lease_until, response_status, response, error_code, last_error, transitions, created_by, created_at, "
            + "updated_at, finished_at";

    public CommandRow {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(state, "state is null");
    }

    /** The provider idempotency key: one per command, the same for every attempt. */
    String providerKey() {
        return "hub-" + id;
    }

    /** The reference the provider stores with a booking, so that the hub can look it up. */
    String clientReference() {
        return "hubref-" + id;
    }
}
