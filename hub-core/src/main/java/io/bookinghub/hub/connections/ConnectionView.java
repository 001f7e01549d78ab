package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A connection as shown to admins: the business's own settings ({@code config}; secrets appear only as "set"
 * or "unset" in {@code secrets}), the hub-admin's overrides of integration settings (secrets as "set"), and
 * the provider account bound to it once verified, and where the provider must send its webhooks.
 *
 * @param webhookRoute how the connector routes webhooks ({@code BY_ACCOUNT}, {@code BY_URL}, {@code BY_PARAMETER});
 *                     null when it takes none or its plugin is not installed
 * @param webhookUrl   the path, below the hub's public base URL, to register with the provider: the connection's
 *                     own {@code /connectors/{connectorId}/webhook/{id}} when the connector routes by URL, else the
 *                     shared {@code /connectors/{connectorId}/webhook}; null with {@code webhookRoute}
 */
public record ConnectionView(UUID id, UUID businessId, String connectorId, boolean enabled, String status,
        String statusReason, String accountId, Map<String, Object> config, Map<String, String> secrets,
        Map<String, Object> overrides, boolean credentialsStored, String syncInterval, Instant nextSyncAt,
        Instant createdAt, Instant updatedAt, String webhookRoute, String webhookUrl) {
}
