package io.bookinghub.hub.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Issues and checks admin API keys. Keys are 256-bit random tokens; only their SHA-256 is stored, which
 * is enough for tokens of that entropy (no slow password hash needed) and allows lookup by hash.
 */
public final class ApiKeys {
    /** A key as shown once to its creator. */
    public record IssuedKey(UUID id, String token) {
        @Override
        public String toString() {
            return "IssuedKey[" + id + "]";
        }
    }

    private static final String PREFIX = "bh_";

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random;

    public ApiKeys(Jdbi jdbi, Clock clock, SecureRandom random) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<HubPrincipal> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 512) {
            return Optional.empty();
        }
        return jdbi.onDemand(ApiKeyDao.class).findActiveByHash(hash(token.trim())).map(row -> new HubPrincipal(
                row.id(), row.name(), Role.fromWireName(row.role()), Optional.ofNullable(row.businessId())));
    }

    public IssuedKey issue(String name, Role role, UUID businessId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        UUID id = UUID.randomUUID();
        jdbi.onDemand(ApiKeyDao.class).insert(id, name, hash(token), role.wireName(), businessId, clock.instant());
        return new IssuedKey(id, token);
    }

    /**
     * Makes sure a hub-admin key exists at start-up: the configured HUB_ADMIN_TOKEN is registered (once),
     * otherwise a key is generated only if no hub-admin key exists yet.
     *
     * @return the generated token, which the caller prints once; empty if none was generated
     */
    public Optional<String> bootstrap(String configuredAdminToken) {
        return jdbi.inTransaction(handle -> {
            ApiKeyDao dao = handle.attach(ApiKeyDao.class);
            dao.lockBootstrap();
            if (configuredAdminToken != null) {
                byte[] hash = hash(configuredAdminToken);
                if (!dao.existsByHash(hash)) {
                    dao.insert(UUID.randomUUID(), "HUB_ADMIN_TOKEN", hash, Role.HUB_ADMIN.wireName(), null,
                            clock.instant());
                }
                return Optional.empty();
            }
            if (dao.countActiveHubAdmins() > 0) {
                return Optional.empty();
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            dao.insert(UUID.randomUUID(), "generated at first start", hash(token), Role.HUB_ADMIN.wireName(), null,
                    clock.instant());
            return Optional.of(token);
        });
    }
}
