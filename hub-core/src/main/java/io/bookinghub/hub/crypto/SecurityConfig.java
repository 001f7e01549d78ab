package io.bookinghub.hub.crypto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Admin bootstrap and encryption keys. Values here are secrets and are never logged. */
public class SecurityConfig {
    /** Hub-admin API key accepted from the start (HUB_ADMIN_TOKEN); empty: generate one on first start. */
    @JsonProperty
    private String adminToken;

    /** Base64 of 32 bytes (HUB_ENCRYPTION_KEY); empty: use (or create) {@link #keyFile}. */
    @JsonProperty
    private String encryptionKey;

    /** Comma-separated earlier keys (HUB_ENCRYPTION_KEY_PREVIOUS); rows under them still decrypt. */
    @JsonProperty
    private String previousEncryptionKeys;

    /** Generated key used when no encryptionKey is configured, so a first run needs no setup. */
    @NotNull
    @JsonProperty
    private Path keyFile = Path.of("var", "encryption.key");

    /**
     * How long a node trusts an API key it has checked before asking the database again: the bound on how long a
     * revoked key keeps working on another node (the node that revokes it forgets it at once). 0 checks every
     * request against the database; at most 5 seconds.
     */
    @NotNull
    @JsonProperty
    private Duration apiKeyCacheTtl = MAX_API_KEY_CACHE_TTL;

    /** The promised bound on how long a revoked key keeps working anywhere. */
    public static final Duration MAX_API_KEY_CACHE_TTL = Duration.ofSeconds(5);

    @ValidationMethod(message = "security.apiKeyCacheTtl must be from PT0S to PT5S")
    public boolean isApiKeyCacheTtlValid() {
        return apiKeyCacheTtl == null || !apiKeyCacheTtl.isNegative()
                && apiKeyCacheTtl.compareTo(MAX_API_KEY_CACHE_TTL) <= 0;
    }

    @ValidationMethod(message = "security.adminToken must be at least 24 characters")
    public boolean isAdminTokenLongEnough() {
        return adminToken == null || adminToken.isBlank() || adminToken.trim().length() >= 24;
    }

    @ValidationMethod(message = "security.encryptionKey must be base64 of exactly 32 bytes")
    public boolean isEncryptionKeyValid() {
        return encryptionKey == null || encryptionKey.isBlank() || EncryptionKey.isValid(encryptionKey);
    }

    @ValidationMethod(message = "security.previousEncryptionKeys must be comma-separated base64 keys of 32 bytes")
    public boolean isPreviousEncryptionKeysValid() {
        return previousKeys().stream().allMatch(EncryptionKey::isValid);
    }

    public String getAdminToken() {
        return adminToken == null || adminToken.isBlank() ? null : adminToken.trim();
    }

    public String getEncryptionKey() {
        return encryptionKey == null || encryptionKey.isBlank() ? null : encryptionKey.trim();
    }

    public List<String> previousKeys() {
        if (previousEncryptionKeys == null || previousEncryptionKeys.isBlank()) {
            return List.of();
        }
        return Arrays.stream(previousEncryptionKeys.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Duration getApiKeyCacheTtl() {
        return apiKeyCacheTtl;
    }

    public Path getKeyFile() {
        return keyFile;
    }

    @Override
    public String toString() {
        return "SecurityConfig[secrets hidden]";
    }
}
