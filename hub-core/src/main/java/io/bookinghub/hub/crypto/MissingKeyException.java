package io.bookinghub.hub.crypto;

import static java.util.Objects.requireNonNull;

/**
 * Data was sealed with an encryption key this hub is not configured with. Its message names only the
 * key id (a fingerprint, not key material), so it is safe to log and to store on the affected row.
 * Retrying cannot help: an operator has to add the key (HUB_ENCRYPTION_KEY_PREVIOUS).
 */
public final class MissingKeyException extends IllegalStateException {
    private final String keyId;

    public MissingKeyException(String keyId) {
        super("encryption key '" + requireNonNull(keyId, "keyId is null") + "' is not configured (add it to HUB_ENCRYPTION_KEY_PREVIOUS)");
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }
}
