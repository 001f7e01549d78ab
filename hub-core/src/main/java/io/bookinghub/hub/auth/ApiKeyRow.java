package io.bookinghub.hub.auth;

import java.time.Instant;
import java.util.UUID;

/** An api_keys row without its hash. */
public record ApiKeyRow(UUID id, String name, String role, UUID businessId, Instant createdAt, Instant revokedAt) {
}
