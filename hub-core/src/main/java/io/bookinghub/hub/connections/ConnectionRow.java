package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.UUID;

/** A connections row: one business x one connector. {@code secretConfig} is ciphertext. */
public record ConnectionRow(UUID id, UUID businessId, String connectorId, boolean enabled, String config,
        byte[] secretConfig, String secretKeyId, String status, String statusReason, String accountId,
        String syncInterval, Instant nextSyncAt, Instant createdAt, Instant updatedAt) {
}
