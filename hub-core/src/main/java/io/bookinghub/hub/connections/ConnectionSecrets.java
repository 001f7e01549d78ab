package io.bookinghub.hub.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.crypto.SecretBox;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Seals string maps (connection secrets, credentials) as one AES-GCM ciphertext bound to the row by
 * its associated data, so a ciphertext moved to another connection does not open.
 */
public final class ConnectionSecrets {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {
    };

    private final SecretBox box;

    public ConnectionSecrets(SecretBox box) {
        this.box = box;
    }

    public static String credentialsContext(UUID connectionId) {
        return "credentials:" + connectionId;
    }

    public static String configContext(UUID connectionId) {
        return "connection-secrets:" + connectionId;
    }

    public SecretBox.Sealed seal(Map<String, String> values, String context) {
        try {
            return box.seal(JSON.writeValueAsBytes(values), context);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise secret map", e);
        }
    }

    public Map<String, String> open(String keyId, byte[] ciphertext, String context) {
        if (ciphertext == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(box.open(new SecretBox.Sealed(keyId, ciphertext), context), MAP);
        } catch (IOException e) {
            throw new IllegalStateException("decrypted secret map is not JSON", e);
        }
    }

    public SecretBox box() {
        return box;
    }
}
