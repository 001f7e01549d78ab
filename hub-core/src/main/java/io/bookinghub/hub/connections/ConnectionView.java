package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A connection as shown to admins: the business's own settings ({@code config}; secrets appear only as "set"
 * or "unset" in {@code secrets}), the hub-admin's overrides of integration settings (secrets as "set"), and
 * the provider account bound to it once verified.
 */
public record ConnectionView(UUID id, UUID businessId, String connectorId, boolean enabled, String status,
        String statusReason, String accountId, Map<String, Object> config, Map<String, String> secrets,
        Map<String, Object> overrides, boolean credentialsStored, String syncInterval, Instant nextSyncAt,
        Instant createdAt, Instant updatedAt) {
}
