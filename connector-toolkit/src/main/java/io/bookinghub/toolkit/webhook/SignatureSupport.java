package io.bookinghub.toolkit.webhook;

import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MALFORMED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MISSING_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.NO_SECRET;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.REPEATED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.SIGNATURE_MISMATCH;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE;
import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shared parsing and HMAC code of the verifiers and the signer. Every parser here reports bad input
 * as a {@link WebhookVerificationException}, so that no runtime exception from the JDK (number
 * parsing, base64 decoding) can escape a verifier. Messages name headers, never their values, which
 * are attacker-controlled and could carry log injection.
 */
final class SignatureSupport {

    static final String HMAC_SHA256 = "HmacSHA256";
    static final int MAC_LENGTH = 32;

    // 18 decimal digits always fit in a long, so a bounded digit count rules out overflow without
    // relying on Long.parseLong, which would also accept signs and non-ASCII digits.
    private static final int MAX_TIMESTAMP_DIGITS = 18;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SignatureSupport() {
    }

    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every Java SE platform must provide HmacSHA256, and keys are checked non-empty at
            // construction, so this is a broken runtime rather than a bad request.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Secrets used as the UTF-8 bytes of the configured string (GitHub, Stripe, Square style). */
    static List<byte[]> utf8Keys(List<String> secrets) {
        requireNonNull(secrets, "secrets is null");
        List<byte[]> keys = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            keys.add(utf8Key(secrets.get(i), "secrets[" + i + "]"));
        }
        return List.copyOf(keys);
    }

    static byte[] utf8Key(String secret, String what) {
        requireNonNull(secret, what + " is null");
        String problem = utf8KeyProblem(secret);
        if (problem != null) {
            throw new IllegalArgumentException(what + " " + problem);
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Why a secret cannot be a UTF-8 key, or null if it can; never quotes the secret. */
    static String utf8KeyProblem(String secret) {
        return secret.isEmpty() ? "is empty" : null;
    }

    /** Standard Webhooks secrets: {@code whsec_} followed by base64, or the bare base64 key. */
    static List<byte[]> standardWebhooksKeys(List<String> secrets) {
        requireNonNull(secrets, "secrets is null");
        List<byte[]> keys = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            keys.add(standardWebhooksKey(secrets.get(i), "secrets[" + i + "]"));
        }
        return List.copyOf(keys);
    }

    static byte[] standardWebhooksKey(String secret, String what) {
        requireNonNull(secret, what + " is null");
        String problem = standardWebhooksKeyProblem(secret);
        if (problem != null) {
            throw new IllegalArgumentException(what + " " + problem);
        }
        return Base64.getDecoder().decode(standardWebhooksBase64(secret));
    }

    /** Why a secret cannot be a Standard Webhooks key, or null if it can; never quotes the secret. */
    static String standardWebhooksKeyProblem(String secret) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(standardWebhooksBase64(secret));
        } catch (IllegalArgumentException e) {
            // The decoder's message can quote the offending character of the secret; drop it.
            return "is not whsec_ followed by base64";
        }
        return key.length == 0 ? "is empty" : null;
    }

    private static String standardWebhooksBase64(String secret) {
        return secret.startsWith(StandardWebhooksVerifier.SECRET_PREFIX)
                ? secret.substring(StandardWebhooksVerifier.SECRET_PREFIX.length())
                : secret;
    }

    static long toleranceSeconds(Duration tolerance) {
        requireNonNull(tolerance, "tolerance is null");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance is negative");
        }
        // Timestamps on the wire are whole seconds, so the tolerance is too.
        return tolerance.getSeconds();
    }

    static void requireSecrets(List<byte[]> keys) throws WebhookVerificationException {
        if (keys.isEmpty()) {
            throw new WebhookVerificationException(NO_SECRET, "no webhook secret is configured");
        }
    }

    /** The value of a header that must occur exactly once. */
    static String singleHeader(WebhookRequest request, String name) throws WebhookVerificationException {
        List<String> values = request.headerValues(name);
        if (values.isEmpty()) {
            throw new WebhookVerificationException(MISSING_HEADER, "header " + name + " is missing");
        }
        if (values.size() > 1) {
            throw new WebhookVerificationException(REPEATED_HEADER,
                    "header " + name + " is repeated " + values.size() + " times");
        }
        return values.get(0);
    }

    static WebhookVerificationException malformed(String header, String problem) {
        return new WebhookVerificationException(MALFORMED_HEADER, "header " + header + " " + problem);
    }

    static WebhookVerificationException mismatch(String header) {
        return new WebhookVerificationException(SIGNATURE_MISMATCH,
                "no signature in header " + header + " matches a configured secret");
    }

    /** Unix seconds: 1 to 18 ASCII digits, no sign, no whitespace. */
    static long parseUnixSeconds(String text, String header) throws WebhookVerificationException {
        if (text.isEmpty() || text.length() > MAX_TIMESTAMP_DIGITS) {
            throw malformed(header, "does not hold a Unix timestamp of 1 to " + MAX_TIMESTAMP_DIGITS + " digits");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed(header, "does not hold a decimal Unix timestamp");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Rejects timestamps further than the tolerance from the clock's time, in either direction. */
    static void checkTolerance(long timestamp, Clock clock, long toleranceSeconds)
            throws WebhookVerificationException {
        long now = clock.instant().getEpochSecond();
        // |now| < 3.2e16 (Instant's range) and 0 <= timestamp < 1e18, so neither difference overflows.
        long age = now - timestamp;
        if (age > toleranceSeconds) {
            throw new WebhookVerificationException(TIMESTAMP_OUT_OF_TOLERANCE,
                    "timestamp is " + age + " s in the past; tolerance is " + toleranceSeconds + " s");
        }
        if (-age > toleranceSeconds) {
            throw new WebhookVerificationException(TIMESTAMP_OUT_OF_TOLERANCE,
                    "timestamp is " + (-age) + " s in the future; tolerance is " + toleranceSeconds + " s");
        }
    }

    /** A SHA-256 MAC in hex: exactly 64 hex digits, either case. */
    static byte[] parseHexMac(String text, String header) throws WebhookVerificationException {
        if (text.length() != MAC_LENGTH * 2) {
            throw malformed(header, "does not hold a 64-digit hex signature");
        }
        byte[] mac = new byte[MAC_LENGTH];
        for (int i = 0; i < MAC_LENGTH; i++) {
            char hi = text.charAt(2 * i);
            char lo = text.charAt(2 * i + 1);
            if (!isAsciiHex(hi) || !isAsciiHex(lo)) {
                throw malformed(header, "holds a signature that is not hex");
            }
            mac[i] = (byte) ((Character.digit(hi, 16) << 4) | Character.digit(lo, 16));
        }
        return mac;
    }

    private static boolean isAsciiHex(char c) {
        // Character.digit also accepts full-width and other non-ASCII digits.
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** A SHA-256 MAC in standard base64 (padding optional). */
    static byte[] parseBase64Mac(String text, String header) throws WebhookVerificationException {
        byte[] mac;
        try {
            mac = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed(header, "holds a signature that is not base64");
        }
        if (mac.length != MAC_LENGTH) {
            throw malformed(header, "holds a signature that is not " + MAC_LENGTH + " bytes long");
        }
        return mac;
    }

    /**
     * Whether any candidate equals any expected MAC, compared in constant time. It deliberately
     * compares every pair rather than stopping early, so timing does not reveal which secret matched.
     */
    static boolean anyMatches(List<byte[]> expected, List<byte[]> candidates) {
        boolean matched = false;
        for (byte[] e : expected) {
            for (byte[] c : candidates) {
                matched |= MessageDigest.isEqual(e, c);
            }
        }
        return matched;
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String requireHeaderName(String headerName) {
        requireNonNull(headerName, "headerName is null");
        if (headerName.isBlank()) {
            throw new IllegalArgumentException("headerName is blank");
        }
        return headerName;
    }
}
