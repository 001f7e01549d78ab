package io.bookinghub.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static EncryptionKey newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return EncryptionKey.fromBase64(Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void sealsAndOpensWithNoPlaintextInTheCiphertext() {
        SecretBox box = new SecretBox(newKey(), List.of(), RANDOM);
        SecretBox.Sealed sealed = box.seal("refresh-token-value", "credentials:1");
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("refresh-token");
        assertThat(box.openString(sealed, "credentials:1")).isEqualTo("refresh-token-value");
        // Fresh nonce per seal: the same plaintext never yields the same bytes.
        assertThat(box.seal("refresh-token-value", "credentials:1").ciphertext()).isNotEqualTo(sealed.ciphertext());
    }

    @Test
    void tamperingOrAnotherRowsContextFails() {
        SecretBox box = new SecretBox(newKey(), List.of(), RANDOM);
        SecretBox.Sealed sealed = box.seal("secret", "credentials:1");
        assertThatThrownBy(() -> box.open(sealed, "credentials:2")).isInstanceOf(IllegalStateException.class);
        byte[] tampered = sealed.ciphertext();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(new SecretBox.Sealed(sealed.keyId(), tampered), "credentials:1"))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("secret");
    }

    @Test
    void previousKeysStillOpenAndUnknownKeysAreNamed() {
        EncryptionKey old = newKey();
        EncryptionKey current = newKey();
        SecretBox.Sealed underOld = new SecretBox(old, List.of(), RANDOM).seal("v", "ctx");
        SecretBox rotated = new SecretBox(current, List.of(old), RANDOM);
        assertThat(rotated.openString(underOld, "ctx")).isEqualTo("v");
        assertThat(rotated.seal("v", "ctx").keyId()).isEqualTo(current.id()).isNotEqualTo(old.id());

        SecretBox withoutOld = new SecretBox(current, List.of(), RANDOM);
        assertThatThrownBy(() -> withoutOld.open(underOld, "ctx")).hasMessageContaining(old.id())
                .hasMessageContaining("HUB_ENCRYPTION_KEY_PREVIOUS");
    }

    @Test
    void keyIdsAreStableAndKeysMustBe32Bytes() {
        String b64 = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(EncryptionKey.fromBase64(b64).id()).isEqualTo(EncryptionKey.fromBase64(b64).id());
        assertThat(EncryptionKey.isValid(Base64.getEncoder().encodeToString(new byte[16]))).isFalse();
        assertThat(EncryptionKey.isValid("not base64 !!")).isFalse();
    }
}
