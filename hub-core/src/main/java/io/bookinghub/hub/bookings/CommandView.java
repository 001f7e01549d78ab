package io.bookinghub.hub.bookings;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * A booking command as the command log shows it: its state and each state it went through ({@code transitions},
 * with when and why), its provider record and answer status. The request itself (client names, phone numbers) is
 * not shown.
 */
public record CommandView(UUID id, CommandKind kind, CommandState state, String idempotencyKey, String connectorId,
        String appointmentExternalId, UUID appointmentId, int attempts, Integer responseStatus, String errorCode,
        String lastError, @JsonRawValue String transitions, Instant createdAt, Instant updatedAt, Instant finishedAt) {

    static CommandView of(CommandRow row) {
        return new CommandView(row.id(), row.kind(), row.state(), row.idempotencyKey(), row.connectorId(),
                row.appointmentExternalId(), row.appointmentId(), row.attempts(), row.responseStatus(),
                row.errorCode(), row.lastError(), row.transitions(), row.createdAt(), row.updatedAt(),
                row.finishedAt());
    }
}
