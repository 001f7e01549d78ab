package io.bookinghub.hub.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key and its id. The id is derived from the key (not random) so every hub process
 * computes the same id for the same key, and rows name the key they were written with.
 */
public final class EncryptionKey {
    private final String id;
    private final SecretKey key;

    private EncryptionKey(byte[] material) {
        this.key = new SecretKeySpec(material, "AES");
        this.id = deriveId(material);
    }

    public static EncryptionKey fromBase64(String base64) {
        requireNonNull(base64, "base64 is null");
        byte[] material;
        try {
            material = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encryption key is not valid base64");
        }
        if (material.length != 32) {
            throw new IllegalArgumentException("encryption key must be 32 bytes, got " + material.length);
        }
        return new EncryptionKey(material);
    }

    public static boolean isValid(String base64) {
        try {
            fromBase64(base64);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String deriveId(byte[] material) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("booking-hub key id v1".getBytes(StandardCharsets.UTF_8));
            return "k" + HexFormat.of().formatHex(sha.digest(material), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "EncryptionKey[" + id + "]";
    }
}
