package io.bookinghub.hub.oauth;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.crypto.SecretBox;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Server-side OAuth authorization attempts. Each attempt gets a 256-bit random {@code state}; only
 * its SHA-256 is stored (a database dump does not reveal live states), next to the PKCE verifier
 * sealed with the {@link SecretBox}. A state is single-use: {@link #consume} deletes the row and reads
 * it in one statement, so of two callbacks racing with the same state (in one or several hub
 * processes) exactly one gets the verifier.
 *
 * <p>An attempt is also bound to the browser that started it (RFC 9700 section 4.7): a second random value,
 * the browser binding, goes into a cookie on that browser and only its SHA-256 into the row. A callback
 * that does not present it (the victim of a phished authorization URL does not have the attacker's
 * cookie) is refused, so nobody can make another person's grant land in their own connection.
 */
public final class OAuthStates {
    /** A console page: relative, so the callback can never send the browser to another site. */
    private static final Pattern RETURN_TO = Pattern.compile("/console/[A-Za-z0-9/_.-]{0,200}");

    /** Whether {@code returnTo} may be where a callback sends the browser: a console page, nothing else. */
    public static boolean validReturnTo(String returnTo) {
        return RETURN_TO.matcher(returnTo).matches() && !returnTo.contains("..") && !returnTo.contains("//");
    }

    /** Attempts a connection may have open at once; starting one more drops the oldest. */
    static final int MAX_PENDING_PER_CONNECTION = 5;

    /**
     * A started attempt: the state and challenge go into the authorization URL, the browser binding into a
     * cookie on the browser that started it. State and binding are secrets until used.
     */
    public record Started(UUID connectionId, String state, String codeChallenge, String browserBinding) {
        public Started {
            requireNonNull(connectionId, "connectionId is null");
            requireNonNull(state, "state is null");
            requireNonNull(codeChallenge, "codeChallenge is null");
            requireNonNull(browserBinding, "browserBinding is null");
        }

        @Override
        public String toString() {
            return "Started[connection=" + connectionId + ", state and binding hidden]";
        }
    }

    /**
     * A consumed attempt: the connection it is bound to, the verifier for the code exchange and where the browser
     * goes after a successful callback (a console page), if the attempt named one.
     */
    public record Pending(UUID connectionId, String codeVerifier, Instant createdAt, Optional<String> returnTo) {
        public Pending {
            requireNonNull(connectionId, "connectionId is null");
            requireNonNull(codeVerifier, "codeVerifier is null");
            requireNonNull(createdAt, "createdAt is null");
            requireNonNull(returnTo, "returnTo is null");
        }

        @Override
        public String toString() {
            return "Pending[connection=" + connectionId + ", verifier hidden]";
        }
    }

    /** Why a callback's state was refused. The message never contains the state. */
    public static final class InvalidStateException extends RuntimeException {
        /** The kinds of refusal. */
        public enum Reason {
            MISSING("The callback carries no state"),
            UNKNOWN("The state is unknown or was already used; start the connection again"),
            EXPIRED("The authorization took too long and its state expired; start the connection again"),
            NO_BROWSER_BINDING("This browser did not start the authorization (it sent no authorization cookie); "
                    + "start the connection again in this browser, with cookies allowed"),
            OTHER_BROWSER("This authorization was started in another browser; start the connection again in "
                    + "this browser");

            private final String message;

            Reason(String message) {
                this.message = message;
            }
        }

        private final Reason reason;
        private final Optional<UUID> connectionId;

        InvalidStateException(Reason reason) {
            this(reason, Optional.empty());
        }

        InvalidStateException(Reason reason, Optional<UUID> connectionId) {
            super(reason.message, null, false, false);
            this.reason = reason;
            this.connectionId = connectionId;
        }

        public Reason reason() {
            return reason;
        }

        /** The connection the state belonged to, when the state was genuine but the browser was not. */
        public Optional<UUID> connectionId() {
            return connectionId;
        }
    }

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;
    private final SecureRandom random;
    private final Pkce pkce;
    private final Duration ttl;

    public OAuthStates(Jdbi jdbi, SecretBox box, Clock clock, SecureRandom random, Duration ttl) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.box = requireNonNull(box, "box is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        this.pkce = new Pkce(random);
    }

    /** How long an attempt lives. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Starts an attempt for {@code connectionId}, valid for the configured TTL.
     *
     * @param returnTo where the browser goes after a successful callback (a console path), or null for the
     *                 callback's own page
     */
    public Started create(UUID connectionId, String returnTo) {
        requireNonNull(connectionId, "connectionId is null");
        if (returnTo != null && !validReturnTo(returnTo)) {
            throw new IllegalArgumentException("returnTo must be a /console/ path");
        }
        String state = OneTimeTokens.generate(random);
        String browserBinding = OneTimeTokens.generate(random);
        byte[] hash = OneTimeTokens.hash(state);
        Pkce.Pair pair = pkce.generate();
        SecretBox.Sealed sealed = box.seal(pair.verifier(), associatedData(hash, connectionId));
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            // Abandoned attempts (the admin closed the tab) would otherwise stay forever.
            h.createUpdate("DELETE FROM oauth_states WHERE expires_at <= :now").bind("now", now).execute();
            h.createUpdate("INSERT INTO oauth_states (state_hash, connection_id, key_id, verifier, browser_hash, "
                    + "created_at, expires_at, return_to) "
                    + "VALUES (:hash, :connection, :keyId, :verifier, :browser, :now, :expires, :returnTo)")
                    .bind("returnTo", returnTo)
                    .bind("hash", hash).bind("connection", connectionId).bind("keyId", sealed.keyId())
                    .bind("browser", OneTimeTokens.hash(browserBinding))
                    .bind("verifier", sealed.ciphertext()).bind("now", now).bind("expires", now.plus(ttl))
                    .execute();
            // Someone pressing "connect" in a loop must not pile up live states (each a way in until it expires).
            h.createUpdate("DELETE FROM oauth_states WHERE connection_id = :connection AND state_hash <> :hash "
                    + "AND state_hash NOT IN (SELECT state_hash FROM oauth_states WHERE connection_id = :connection "
                    + "AND state_hash <> :hash ORDER BY created_at DESC, state_hash LIMIT :keep)")
                    .bind("connection", connectionId).bind("hash", hash)
                    .bind("keep", MAX_PENDING_PER_CONNECTION - 1).execute();
        });
        return new Started(connectionId, state, pair.challenge(), browserBinding);
    }

    /**
     * Uses up {@code state}: whatever the outcome, the state cannot be used again. A valid state from the
     * browser that started it also ends the connection's other open attempts.
     *
     * @param browserBinding the binding cookie the callback's browser sent, or null if it sent none
     * @throws InvalidStateException if the state is missing, unknown, already used or expired, or the
     *     browser is not the one that started the attempt
     */
    public Pending consume(String state, String browserBinding) {
        if (state == null || state.isEmpty()) {
            throw new InvalidStateException(InvalidStateException.Reason.MISSING);
        }
        if (!OneTimeTokens.wellFormed(state)) {
            throw new InvalidStateException(InvalidStateException.Reason.UNKNOWN);
        }
        byte[] hash = OneTimeTokens.hash(state);
        record Row(UUID connectionId, String keyId, byte[] verifier, byte[] browserHash, Instant createdAt,
                Instant expiresAt, String returnTo) {
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("DELETE FROM oauth_states WHERE state_hash = :hash "
                + "RETURNING connection_id, key_id, verifier, browser_hash, created_at, expires_at, return_to")
                .bind("hash", hash)
                .map((rs, ctx) -> new Row(rs.getObject("connection_id", UUID.class), rs.getString("key_id"),
                        rs.getBytes("verifier"), rs.getBytes("browser_hash"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(), rs.getString("return_to")))
                .findOne());
        if (row.isEmpty()) {
            throw new InvalidStateException(InvalidStateException.Reason.UNKNOWN);
        }
        if (!clock.instant().isBefore(row.get().expiresAt())) {
            throw new InvalidStateException(InvalidStateException.Reason.EXPIRED);
        }
        if (browserBinding == null || browserBinding.isEmpty()) {
            throw new InvalidStateException(InvalidStateException.Reason.NO_BROWSER_BINDING,
                    Optional.of(row.get().connectionId()));
        }
        if (!OneTimeTokens.matches(row.get().browserHash(), browserBinding)) {
            // The state stays used up: a phished victim's callback must not leave it for a second try.
            throw new InvalidStateException(InvalidStateException.Reason.OTHER_BROWSER,
                    Optional.of(row.get().connectionId()));
        }
        // The connection is being authorized now: its other open attempts (other tabs, earlier clicks) end.
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM oauth_states WHERE connection_id = :connection")
                .bind("connection", row.get().connectionId()).execute());
        String verifier = box.openString(new SecretBox.Sealed(row.get().keyId(), row.get().verifier()),
                associatedData(hash, row.get().connectionId()));
        return new Pending(row.get().connectionId(), verifier, row.get().createdAt(),
                Optional.ofNullable(row.get().returnTo()));
    }

    /** Deletes expired attempts; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM oauth_states WHERE expires_at <= :now")
                .bind("now", now).execute());
    }

    /**
     * Binds a sealed verifier to its row: moved to another state or connection it no longer opens.
     * Public for the re-encryption command, which must reproduce it.
     */
    public static String associatedData(byte[] stateHash, UUID connectionId) {
        return "oauth-state:" + HexFormat.of().formatHex(stateHash) + ":" + connectionId;
    }
}
