package io.bookinghub.toolkit.webhook;

import static io.bookinghub.toolkit.webhook.SignatureSupport.anyMatches;
import static io.bookinghub.toolkit.webhook.SignatureSupport.hmacSha256;
import static io.bookinghub.toolkit.webhook.SignatureSupport.malformed;
import static io.bookinghub.toolkit.webhook.SignatureSupport.mismatch;
import static io.bookinghub.toolkit.webhook.SignatureSupport.parseHexMac;
import static io.bookinghub.toolkit.webhook.SignatureSupport.requireSecrets;
import static io.bookinghub.toolkit.webhook.SignatureSupport.singleHeader;
import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies GitHub-style signatures: one header (by default {@value #DEFAULT_HEADER}) holding a prefix
 * (by default {@value #DEFAULT_PREFIX}, matched case-insensitively; a provider that sends the bare hex
 * has the empty prefix) followed by the 64-digit hex HMAC-SHA256 of the body. Secrets are used as their
 * UTF-8 bytes; the request passes if the signature matches any of them. There is no timestamp, so
 * this scheme does not protect against replay; the hub's event de-duplication has to.
 */
public final class HexHmacVerifier implements WebhookSignatureVerifier {

    public static final String DEFAULT_HEADER = "X-Hub-Signature-256";

    public static final String DEFAULT_PREFIX = "sha256=";

    private final List<byte[]> keys;
    private final String headerName;
    private final String prefix;

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
        this(secrets, headerName, DEFAULT_PREFIX);
    }

    /**
     * @param prefix what precedes the hex digits in the header, e.g. {@code sha256=}; empty for bare hex
     * @throws IllegalArgumentException if a secret is empty or the header name blank
     */
    public HexHmacVerifier(List<String> secrets, String headerName, String prefix) {
        this.keys = SignatureSupport.utf8Keys(secrets);
        this.headerName = SignatureSupport.requireHeaderName(headerName);
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        requireNonNull(request, "request is null");
        requireSecrets(keys);
        String value = singleHeader(request, headerName).trim();
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw malformed(headerName, "does not start with " + prefix);
        }
        byte[] signature = parseHexMac(value.substring(prefix.length()), headerName);
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
