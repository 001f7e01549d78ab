package io.bookinghub.hub.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The hub's random one-time secrets (OAuth states, browser bindings, connect links, console sessions): 256
 * random bits as base64url without padding (43 characters). Only their SHA-256 is stored: with that much entropy a fast
 * hash is enough, and it doubles as the lookup key.
 */
public final class OneTimeTokens {
    private static final int OCTETS = 32;
    private static final Pattern SYNTAX = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private OneTimeTokens() {
    }

    public static String generate(SecureRandom random) {
        byte[] octets = new byte[OCTETS];
        random.nextBytes(octets);
        return BASE64URL.encodeToString(octets);
    }

    /** Whether {@code token} can be one of ours; anything else is refused before it reaches SQL. */
    public static boolean wellFormed(String token) {
        return token != null && SYNTAX.matcher(token).matches();
    }

    /** SHA-256 of the token's ASCII form. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code presented} hashes to {@code storedHash}, in constant time; a malformed token never does. */
    public static boolean matches(byte[] storedHash, String presented) {
        byte[] presentedHash = hash(wellFormed(presented) ? presented : "");
        // Compared even for a malformed token, so the time taken does not say which check failed.
        return MessageDigest.isEqual(storedHash, presentedHash) && wellFormed(presented);
    }
}
