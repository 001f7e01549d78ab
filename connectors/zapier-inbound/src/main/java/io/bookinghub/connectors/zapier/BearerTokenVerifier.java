package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.spi.webhook.WebhookVerificationException.Reason;
import io.bookinghub.toolkit.webhook.WebhookSignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts a request whose single {@code Authorization} header is {@code Bearer <token>} (scheme
 * case-insensitive) and whose token equals one of the configured secrets.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every secret without
 * stopping early, so neither the token's length nor which secret matched shows in the timing. A bearer token
 * authenticates the sender but does not protect the body: that rests on HTTPS (use HMAC mode where the sender
 * can sign).
 */
final class BearerTokenVerifier implements WebhookSignatureVerifier {
    static final String HEADER = "Authorization";
    private static final String SCHEME = "Bearer ";

    private final List<byte[]> digests;

    /** @param secrets accepted tokens (two during rotation); none means every request fails with NO_SECRET */
    BearerTokenVerifier(List<String> secrets) {
        requireNonNull(secrets, "secrets is null");
        List<byte[]> out = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            String secret = requireNonNull(secrets.get(i), "secrets[" + i + "] is null");
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("secrets[" + i + "] is empty");
            }
            out.add(sha256(secret));
        }
        this.digests = List.copyOf(out);
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        requireNonNull(request, "request is null");
        if (digests.isEmpty()) {
            throw new WebhookVerificationException(Reason.NO_SECRET, "no shared secret is configured");
        }
        List<String> values = request.headerValues(HEADER);
        if (values.isEmpty()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "header " + HEADER + " is missing");
        }
        if (values.size() > 1) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER,
                    "header " + HEADER + " is repeated " + values.size() + " times");
        }
        String value = values.get(0).trim();
        if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            // Names the expected scheme only: the header's value is the sender's and may be a secret.
            throw new WebhookVerificationException(Reason.MALFORMED_HEADER,
                    "header " + HEADER + " does not use the Bearer scheme");
        }
        byte[] presented = sha256(value.substring(SCHEME.length()).trim());
        boolean matched = false;
        for (byte[] digest : digests) {
            matched |= MessageDigest.isEqual(digest, presented);
        }
        if (!matched) {
            throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH,
                    "the bearer token in header " + HEADER + " matches no configured secret");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokenVerifier[secrets=" + digests.size() + "]";
    }
}
