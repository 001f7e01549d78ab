package io.bookinghub.hub.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An api_keys row without its hash.
 *
 * @param businessIds an app key's businesses (sorted), empty for admin keys
 * @param scopes      an app key's scopes, empty for admin keys
 */
public record ApiKeyRow(UUID id, String name, String role, UUID businessId, List<UUID> businessIds,
        List<String> scopes, Instant createdAt, Instant revokedAt) {
    public ApiKeyRow {
        businessIds = businessIds == null ? List.of() : List.copyOf(businessIds);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
