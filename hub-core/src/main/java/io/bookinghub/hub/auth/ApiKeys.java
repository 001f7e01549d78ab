package io.bookinghub.hub.auth;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.bookinghub.hub.crypto.SecurityConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Issues and checks API keys (admin and app keys). Keys are 256-bit random tokens; only their SHA-256 is stored, which
 * is enough for tokens of that entropy (no slow password hash needed) and allows lookup by hash.
 *
 * <p>A checked key's answer (its principal, or that it is unknown) is kept for {@code cacheTtl} (at most
 * {@link SecurityConfig#MAX_API_KEY_CACHE_TTL}), so a request costs no database round trip for its key: that was one
 * query per request. The price is the documented bound: a key revoked on another node keeps working there for at
 * most {@code cacheTtl}; the node that revokes it forgets it at once. Entries are keyed by the token's hash, so the
 * cache holds no token, and bounded in number, so a flood of made-up keys cannot grow it.
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

    /** Keys checked within one TTL that a node remembers; beyond it the least used are asked again. */
    private static final int MAX_CACHED_KEYS = 10_000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random;
    private final Cache<ByteBuffer, Optional<HubPrincipal>> checked;

    /**
     * @param cacheTtl how long a checked key's answer is reused, 0 to ask the database every time
     * @param ticker   the cache's time source (tests advance it instead of sleeping)
     */
    public ApiKeys(Jdbi jdbi, Clock clock, SecureRandom random, Duration cacheTtl, Ticker ticker) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        requireNonNull(cacheTtl, "cacheTtl is null");
        if (cacheTtl.isNegative() || cacheTtl.compareTo(SecurityConfig.MAX_API_KEY_CACHE_TTL) > 0) {
            throw new IllegalArgumentException("cacheTtl must be from 0 to " + SecurityConfig.MAX_API_KEY_CACHE_TTL);
        }
        this.checked = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(MAX_CACHED_KEYS)
                .ticker(requireNonNull(ticker, "ticker is null")).build();
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
        byte[] hash = hash(token.trim());
        return checked.get(ByteBuffer.wrap(hash), h -> jdbi.onDemand(ApiKeyDao.class).findActiveByHash(hash)
                .map(ApiKeys::principal));
    }

    /** The principal of an active (not revoked) key, by its id: how a console session finds its caller again. */
    public Optional<HubPrincipal> principalOf(UUID keyId) {
        return jdbi.onDemand(ApiKeyDao.class).findActiveById(keyId).map(ApiKeys::principal);
    }

    private static HubPrincipal principal(ApiKeyRow row) {
        Set<Scope> scopes = row.scopes().stream().map(Scope::fromWireName).collect(Collectors.toSet());
        return new HubPrincipal(row.id(), row.name(), Role.fromWireName(row.role()),
                Optional.ofNullable(row.businessId()), Set.copyOf(row.businessIds()), scopes);
    }

    /**
     * Revokes the key (a no-op for one already revoked) and forgets every answer this node cached for it; other
     * nodes stop accepting it within their cache TTL.
     */
    public void revoke(UUID keyId) {
        jdbi.onDemand(ApiKeyDao.class).revoke(keyId, clock.instant());
        checked.asMap().values().removeIf(p -> p.isPresent() && p.get().keyId().equals(keyId));
    }

    /** An admin key: hub-admin ({@code businessId} null) or business-admin bound to {@code businessId}. */
    public IssuedKey issue(String name, Role role, UUID businessId) {
        if (role == Role.APP) {
            throw new IllegalArgumentException("app keys are issued with issueApp");
        }
        return insert(name, role, businessId, Set.of(), Set.of());
    }

    /** An app key bound to {@code businesses} (at least one) with {@code scopes} (at least one). */
    public IssuedKey issueApp(String name, Set<UUID> businesses, Set<Scope> scopes) {
        if (businesses.isEmpty() || scopes.isEmpty()) {
            throw new IllegalArgumentException("an app key needs at least one business and one scope");
        }
        return insert(name, Role.APP, null, businesses, scopes);
    }

    private IssuedKey insert(String name, Role role, UUID businessId, Set<UUID> businesses, Set<Scope> scopes) {
        String token = newToken();
        UUID id = UUID.randomUUID();
        byte[] hash = hash(token);
        String[] scopeNames = role == Role.APP ? scopes.stream().map(Scope::wireName).sorted().toArray(String[]::new)
                : null;
        jdbi.useTransaction(handle -> {
            ApiKeyDao dao = handle.attach(ApiKeyDao.class);
            dao.insert(id, name, hash, role.wireName(), businessId, scopeNames, clock.instant());
            if (!businesses.isEmpty()) {
                dao.bindBusinesses(id, businesses);
            }
        });
        checked.invalidate(ByteBuffer.wrap(hash));
        return new IssuedKey(id, token);
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
                    dao.insert(UUID.randomUUID(), "HUB_ADMIN_TOKEN", hash, Role.HUB_ADMIN.wireName(), null, null,
                            clock.instant());
                }
                return Optional.empty();
            }
            if (dao.countActiveHubAdmins() > 0) {
                return Optional.empty();
            }
            String token = newToken();
            dao.insert(UUID.randomUUID(), "generated at first start", hash(token), Role.HUB_ADMIN.wireName(), null,
                    null, clock.instant());
            return Optional.of(token);
        });
    }
}
