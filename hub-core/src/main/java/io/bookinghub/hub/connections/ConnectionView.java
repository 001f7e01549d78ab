package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A connection as shown to admins: secret values appear only as "set" or "unset". */
public record ConnectionView(UUID id, UUID businessId, String connectorId, boolean enabled, String status,
        String statusReason, Map<String, Object> config, Map<String, String> secrets, boolean credentialsStored,
        String syncInterval, Instant nextSyncAt, Instant createdAt, Instant updatedAt) {
}
