package io.bookinghub.hub.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link SecretBox} from configuration. Without HUB_ENCRYPTION_KEY the hub generates a key
 * file once, so a first run works with no setup; production should set the variable instead.
 */
public final class KeyRingLoader {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRingLoader.class);

    private KeyRingLoader() {
    }

    public static SecretBox load(SecurityConfig config, SecureRandom random) {
        EncryptionKey current = config.getEncryptionKey() != null
                ? EncryptionKey.fromBase64(config.getEncryptionKey())
                : fromKeyFile(config.getKeyFile(), random);
        List<EncryptionKey> previous = config.previousKeys().stream().map(EncryptionKey::fromBase64).toList();
        return new SecretBox(current, previous, random);
    }

    private static EncryptionKey fromKeyFile(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!EncryptionKey.isValid(text)) {
                    throw new IllegalStateException("security.keyFile " + file.toAbsolutePath()
                            + " does not hold base64 of 32 bytes");
                }
                return EncryptionKey.fromBase64(text);
            }
            byte[] material = new byte[32];
            random.nextBytes(material);
            String encoded = Base64.getEncoder().encodeToString(material);
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Non-POSIX file systems: the directory's permissions have to do.
            }
            Files.writeString(tmp, encoded + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file);
            EncryptionKey key = EncryptionKey.fromBase64(encoded);
            LOG.warn("HUB_ENCRYPTION_KEY is not set: generated encryption key {} in {}. Set HUB_ENCRYPTION_KEY "
                    + "in production and keep it safe; credentials cannot be decrypted without it.",
                    key.id(), file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create security.keyFile " + file.toAbsolutePath(), e);
        }
    }
}
