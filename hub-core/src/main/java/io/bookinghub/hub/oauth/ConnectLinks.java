package io.bookinghub.hub.oauth;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.connections.ConnectionAuditDao;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * One-time connect links: a salon owner without an API key gets a link that starts the OAuth authorization
 * of one connection, once, for a few minutes. The token has 256 random bits and only its SHA-256 is stored;
 * using it deletes the row in the same statement that reads it ({@code DELETE ... RETURNING}), so of two
 * requests with the same link, on one hub node or several, exactly one gets through.
 */
public final class ConnectLinks {
    /** A new link's token (a secret: shown once, to its creator) and when it stops working. */
    public record Issued(String token, Instant expiresAt) {
        public Issued {
            requireNonNull(token, "token is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }

        @Override
        public String toString() {
            return "Issued[token hidden, expiresAt=" + expiresAt + "]";
        }
    }

    /** Why a link was refused. The message never contains the token. */
    public static final class InvalidLinkException extends RuntimeException {
        InvalidLinkException(String message) {
            super(message, null, false, false);
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration ttl;

    public ConnectLinks(Jdbi jdbi, Clock clock, SecureRandom random, Duration ttl) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }

    /** Issues a link for {@code connectionId} and records who did in the connection's events. */
    public Issued create(UUID connectionId, String createdBy) {
        requireNonNull(connectionId, "connectionId is null");
        String token = OneTimeTokens.generate(random);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        jdbi.useTransaction(h -> {
            // Links nobody opened would otherwise stay forever.
            h.createUpdate("DELETE FROM oauth_connect_links WHERE expires_at <= :now").bind("now", now).execute();
            h.createUpdate("INSERT INTO oauth_connect_links (token_hash, connection_id, created_at, expires_at) "
                    + "VALUES (:hash, :connection, :now, :expires)").bind("hash", OneTimeTokens.hash(token))
                    .bind("connection", connectionId).bind("now", now).bind("expires", expiresAt).execute();
            h.attach(ConnectionAuditDao.class).event(connectionId, now, "connect-link-created",
                    "admin '" + createdBy + "' created a one-time connect link, valid until " + expiresAt);
        });
        return new Issued(token, expiresAt);
    }

    /**
     * Uses up {@code token}: whatever the outcome, it cannot be used again.
     *
     * @return the connection the link was issued for; its events record the use
     * @throws InvalidLinkException if the token is missing, unknown, already used or expired
     */
    public UUID consume(String token) {
        if (token == null || token.isEmpty()) {
            throw new InvalidLinkException("The link is incomplete; ask for a new connect link");
        }
        if (!OneTimeTokens.wellFormed(token)) {
            throw unknown();
        }
        Instant now = clock.instant();
        record Row(UUID connectionId, Instant expiresAt) {
        }
        return jdbi.inTransaction(h -> {
            Optional<Row> row = h.createQuery("DELETE FROM oauth_connect_links WHERE token_hash = :hash "
                    + "RETURNING connection_id, expires_at").bind("hash", OneTimeTokens.hash(token))
                    .map((rs, ctx) -> new Row(rs.getObject("connection_id", UUID.class),
                            rs.getTimestamp("expires_at").toInstant()))
                    .findOne();
            if (row.isEmpty()) {
                throw unknown();
            }
            if (!now.isBefore(row.get().expiresAt())) {
                // Rolls the delete back; harmless: the row can never be used, and the next create purges it.
                throw new InvalidLinkException("The connect link has expired; ask for a new one");
            }
            h.attach(ConnectionAuditDao.class).event(row.get().connectionId(), now, "connect-link-used",
                    "a one-time connect link was opened");
            return row.get().connectionId();
        });
    }

    private static InvalidLinkException unknown() {
        return new InvalidLinkException("The connect link is unknown or was already used; ask for a new one");
    }
}
