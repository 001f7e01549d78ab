package io.bookinghub.hub.oauth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * PKCE (RFC 7636) with the S256 method: a verifier of 32 random octets, base64url without padding
 * (43 characters), and its challenge {@code BASE64URL(SHA-256(ASCII(verifier)))}.
 */
public final class Pkce {
    /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
    public static final Pattern VERIFIER_SYNTAX = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");
    private static final int VERIFIER_OCTETS = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** A verifier and its challenge. The verifier is a secret: it is never printed. */
    public record Pair(String verifier, String challenge) {
        public Pair {
            requireNonNull(verifier, "verifier is null");
            requireNonNull(challenge, "challenge is null");
        }

        @Override
        public String toString() {
            return "Pkce.Pair[verifier hidden, challenge=" + challenge + "]";
        }
    }

    private final SecureRandom random;

    public Pkce(SecureRandom random) {
        this.random = requireNonNull(random, "random is null");
    }

    /** A fresh verifier from the injected random source, and its S256 challenge. */
    public Pair generate() {
        byte[] octets = new byte[VERIFIER_OCTETS];
        random.nextBytes(octets);
        String verifier = BASE64URL.encodeToString(octets);
        return new Pair(verifier, challenge(verifier));
    }

    /** The S256 challenge of {@code verifier}. */
    public static String challenge(String verifier) {
        requireNonNull(verifier, "verifier is null");
        if (!VERIFIER_SYNTAX.matcher(verifier).matches()) {
            // Deliberately without the value: it is a secret.
            throw new IllegalArgumentException("code verifier must be 43-128 unreserved characters");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
