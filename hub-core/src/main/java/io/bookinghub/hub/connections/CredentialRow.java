package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.UUID;

/**
 * A credentials row: ciphertext, and the fingerprint of the endpoint settings the credentials were issued
 * under ({@code binding}; null for rows from before bindings existed, which no setting matches).
 */
public record CredentialRow(UUID connectionId, String keyId, byte[] ciphertext, long version, Instant updatedAt,
        String binding) {
}
