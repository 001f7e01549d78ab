package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.auth.ApiKeys;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.oauth.OneTimeTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Console sign-ins, shared by every hub node through the database. Signing in exchanges an admin API key for a
 * session: the browser keeps only a random session token in an HttpOnly cookie (never the key), the database only
 * the token's hash. A session ends on sign-out, after {@code idleTimeout} unused, {@code maxAge} after sign-in, or
 * when its key is revoked.
 */
public final class ConsoleSessions {
    /** A signed-in browser: who it is and the token its forms must carry (synchronizer-token CSRF defence). */
    public record Session(byte[] tokenHash, HubPrincipal principal, String csrfToken) {
        public Session {
            requireNonNull(tokenHash, "tokenHash is null");
            requireNonNull(principal, "principal is null");
            requireNonNull(csrfToken, "csrfToken is null");
        }

        /** Whether a submitted form carries this session's CSRF token (compared in constant time). */
        public boolean csrfMatches(String submitted) {
            return submitted != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    submitted.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Session[" + principal.keyName() + "]";
        }
    }

    /** Sliding expiry is written at most this often per session, not on every page. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final ApiKeys apiKeys;
    private final Clock clock;
    private final SecureRandom random;
    private final ConsoleConfig config;

    public ConsoleSessions(Jdbi jdbi, ApiKeys apiKeys, Clock clock, SecureRandom random, ConsoleConfig config) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.apiKeys = requireNonNull(apiKeys, "apiKeys is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * Signs in with an admin key.
     *
     * @return the session token for the cookie, or empty if the key is unknown, revoked or an app key
     */
    public Optional<String> signIn(String apiKey) {
        Optional<HubPrincipal> principal = apiKeys.authenticate(apiKey);
        if (principal.isEmpty() || principal.get().role() == Role.APP) {
            return Optional.empty();
        }
        String token = OneTimeTokens.generate(random);
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM console_sessions WHERE expires_at <= :now").bind("now", now).execute();
            h.createUpdate("INSERT INTO console_sessions (token_hash, key_id, csrf_token, created_at, last_seen, "
                    + "expires_at) VALUES (:hash, :key, :csrf, :now, :now, :expires)")
                    .bind("hash", OneTimeTokens.hash(token)).bind("key", principal.get().keyId())
                    .bind("csrf", OneTimeTokens.generate(random)).bind("now", now)
                    .bind("expires", expiry(now, now)).execute();
        });
        return Optional.of(token);
    }

    /** The live session behind a cookie value, extending its idle expiry. */
    public Optional<Session> find(String token) {
        if (token == null || !OneTimeTokens.wellFormed(token)) {
            return Optional.empty();
        }
        byte[] hash = OneTimeTokens.hash(token);
        Instant now = clock.instant();
        record Row(UUID keyId, String csrf, Instant createdAt, Instant lastSeen) {
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("SELECT key_id, csrf_token, created_at, last_seen "
                + "FROM console_sessions WHERE token_hash = :hash AND expires_at > :now")
                .bind("hash", hash).bind("now", now)
                .map((rs, ctx) -> new Row(rs.getObject("key_id", UUID.class), rs.getString("csrf_token"),
                        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_seen").toInstant()))
                .findOne());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Optional<HubPrincipal> principal = apiKeys.principalOf(row.get().keyId());
        if (principal.isEmpty()) {
            signOut(token);
            return Optional.empty();
        }
        if (Duration.between(row.get().lastSeen(), now).compareTo(TOUCH_EVERY) >= 0) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE console_sessions SET last_seen = :now, expires_at = :expires "
                    + "WHERE token_hash = :hash").bind("now", now).bind("expires", expiry(row.get().createdAt(), now))
                    .bind("hash", hash).execute());
        }
        return Optional.of(new Session(hash, principal.get(), row.get().csrf()));
    }

    public void signOut(String token) {
        if (token != null && OneTimeTokens.wellFormed(token)) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE token_hash = :hash")
                    .bind("hash", OneTimeTokens.hash(token)).execute());
        }
    }

    /** How long the cookie may live: the browser forgets it no later than the session ends. */
    public Duration maxAge() {
        return config.getMaxAge();
    }

    private Instant expiry(Instant signedIn, Instant now) {
        Instant idle = now.plus(config.getIdleTimeout());
        Instant absolute = signedIn.plus(config.getMaxAge());
        return idle.isBefore(absolute) ? idle : absolute;
    }
}
