package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.UUID;

public record CredentialRow(UUID connectionId, String keyId, byte[] ciphertext, long version, Instant updatedAt) {
}
