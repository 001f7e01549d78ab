package io.bookinghub.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.testing.TestDatabase;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** A hub started with another key than the one that sealed stored secrets names the missing key id. */
class MissingKeysTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static EncryptionKey newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return EncryptionKey.fromBase64(Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void findsTheKeyIdsThatSealedStoredSecretsButAreNotConfigured() {
        Jdbi jdbi = TestDatabase.createMigrated().jdbi();
        EncryptionKey old = newKey();
        SecretBox before = new SecretBox(old, List.of(), RANDOM);
        SecretBox.Sealed sealed = before.seal("{\"webhookSecret\":\"s\"}", "config:1");
        SecretBox now = new SecretBox(newKey(), List.of(), RANDOM);
        UUID business = UUID.randomUUID();
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) "
                    + "VALUES (?, 'Salon', 'Europe/Warsaw', now(), now())", business);
            for (String keyId : List.of(old.id(), now.currentKeyId())) {
                h.execute("INSERT INTO connections (id, business_id, connector_id, enabled, status, secret_config, "
                        + "secret_key_id, created_at, updated_at) VALUES (?, ?, ?, true, 'ACTIVE', ?, ?, now(), now())",
                        UUID.randomUUID(), business, "acme-" + keyId, sealed.ciphertext(), keyId);
            }
        });

        assertThat(MissingKeys.find(jdbi, now)).containsExactly(old.id());
        assertThat(MissingKeys.find(jdbi, new SecretBox(newKey(), List.of(), RANDOM)))
                .containsExactlyInAnyOrder(old.id(), now.currentKeyId());
        // With the old key added as a previous key nothing is missing.
        EncryptionKey current = newKey();
        assertThat(MissingKeys.find(jdbi, new SecretBox(current, List.of(old), RANDOM))).containsExactly(now.currentKeyId());
        assertThatThrownBy(() -> now.open(sealed, "config:1")).isInstanceOf(MissingKeyException.class)
                .hasMessageStartingWith("encryption key '" + old.id() + "' is not configured");
    }
}
