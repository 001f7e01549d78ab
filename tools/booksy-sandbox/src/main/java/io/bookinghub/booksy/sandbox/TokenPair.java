package io.bookinghub.booksy.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * Tokens minted directly by {@link BooksySandbox#issueTokens()} so tests can skip the browser leg of OAuth.
 * {@code refreshToken} is never null. {@link #toString()} redacts both tokens.
 */
public record TokenPair(String accessToken, String refreshToken, Instant accessTokenExpiresAt) {

    public TokenPair {
        Objects.requireNonNull(accessToken, "accessToken is null");
        Objects.requireNonNull(refreshToken, "refreshToken is null");
        Objects.requireNonNull(accessTokenExpiresAt, "accessTokenExpiresAt is null");
    }

    @Override
    public String toString() {
        return "TokenPair[accessToken=***, refreshToken=***, accessTokenExpiresAt=" + accessTokenExpiresAt + "]";
    }
}
