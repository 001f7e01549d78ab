package io.bookinghub.hub.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM encryption of secrets at rest. New data is always sealed with the current key; data
 * sealed under a previous key still opens, so keys can rotate without downtime. The associated data
 * binds a ciphertext to its row (e.g. "credentials:&lt;connection id&gt;"), so a ciphertext copied into
 * another row does not decrypt.
 */
public final class SecretBox {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A ciphertext (nonce || ciphertext+tag) and the id of the key that sealed it. */
    public record Sealed(String keyId, byte[] ciphertext) {
        public Sealed {
            requireNonNull(keyId, "keyId is null");
            requireNonNull(ciphertext, "ciphertext is null");
        }
    }

    private final EncryptionKey current;
    private final Map<String, EncryptionKey> keys;
    private final SecureRandom random;

    public SecretBox(EncryptionKey current, List<EncryptionKey> previous, SecureRandom random) {
        this.current = requireNonNull(current, "current is null");
        this.random = requireNonNull(random, "random is null");
        Map<String, EncryptionKey> all = new LinkedHashMap<>();
        all.put(current.id(), current);
        for (EncryptionKey key : previous) {
            all.putIfAbsent(key.id(), key);
        }
        this.keys = Map.copyOf(all);
    }

    public String currentKeyId() {
        return current.id();
    }

    public boolean isCurrent(String keyId) {
        return current.id().equals(keyId);
    }

    /** Whether data sealed with {@code keyId} can be opened here. */
    public boolean hasKey(String keyId) {
        return keys.containsKey(keyId);
    }

    public Sealed seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plaintext);
            return new Sealed(current.id(), ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public Sealed seal(String plaintext, String associatedData) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8), associatedData);
    }

    /**
     * @throws MissingKeyException   if the key is not configured
     * @throws IllegalStateException if the data was tampered with
     */
    public byte[] open(Sealed sealed, String associatedData) {
        EncryptionKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new MissingKeyException(sealed.keyId());
        }
        byte[] data = sealed.ciphertext();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("Encrypted value is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encrypted value failed authentication (wrong key or tampered row)");
        }
    }

    public String openString(Sealed sealed, String associatedData) {
        return new String(open(sealed, associatedData), StandardCharsets.UTF_8);
    }
}
