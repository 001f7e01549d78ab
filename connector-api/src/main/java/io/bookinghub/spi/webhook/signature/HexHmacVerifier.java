package io.bookinghub.spi.webhook.signature;

import static io.bookinghub.spi.webhook.signature.SignatureSupport.anyMatches;
import static io.bookinghub.spi.webhook.signature.SignatureSupport.hmacSha256;
import static io.bookinghub.spi.webhook.signature.SignatureSupport.malformed;
import static io.bookinghub.spi.webhook.signature.SignatureSupport.mismatch;
import static io.bookinghub.spi.webhook.signature.SignatureSupport.parseHexMac;
import static io.bookinghub.spi.webhook.signature.SignatureSupport.requireSecrets;
import static io.bookinghub.spi.webhook.signature.SignatureSupport.singleHeader;
import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies GitHub-style signatures: one header (by default {@value #DEFAULT_HEADER}) holding
 * {@code sha256=} followed by the 64-digit hex HMAC-SHA256 of the body. Secrets are used as their
 * UTF-8 bytes; the request passes if the signature matches any of them. There is no timestamp, so
 * this scheme does not protect against replay; the hub's event de-duplication has to.
 */
public final class HexHmacVerifier implements WebhookSignatureVerifier {

    public static final String DEFAULT_HEADER = "X-Hub-Signature-256";

    private static final String PREFIX = "sha256=";

    private final List<byte[]> keys;
    private final String headerName;

    /** A verifier reading {@value #DEFAULT_HEADER}. */
    public HexHmacVerifier(List<String> secrets) {
        this(secrets, DEFAULT_HEADER);
    }

    /**
     * @param secrets    accepted secrets; may be empty, in which case every request fails with
     *                   {@code NO_SECRET}
     * @param headerName header holding the signature, matched case-insensitively
     * @throws IllegalArgumentException if a secret is empty or the header name blank
     */
    public HexHmacVerifier(List<String> secrets, String headerName) {
        this.keys = SignatureSupport.utf8Keys(secrets);
        this.headerName = SignatureSupport.requireHeaderName(headerName);
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        requireNonNull(request, "request is null");
        requireSecrets(keys);
        String value = singleHeader(request, headerName).trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw malformed(headerName, "does not start with " + PREFIX);
        }
        byte[] signature = parseHexMac(value.substring(PREFIX.length()), headerName);
        byte[] body = request.body();
        List<byte[]> expected = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            expected.add(hmacSha256(key, body));
        }
        if (!anyMatches(expected, List.of(signature))) {
            throw mismatch(headerName);
        }
    }

    @Override
    public String toString() {
        return "HexHmacVerifier[header=" + headerName + ", secrets=" + keys.size() + "]";
    }
}
