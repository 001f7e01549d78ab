package io.bookinghub.toolkit.webhook;

import static io.bookinghub.toolkit.webhook.SignatureSupport.anyMatches;
import static io.bookinghub.toolkit.webhook.SignatureSupport.hmacSha256;
import static io.bookinghub.toolkit.webhook.SignatureSupport.mismatch;
import static io.bookinghub.toolkit.webhook.SignatureSupport.parseBase64Mac;
import static io.bookinghub.toolkit.webhook.SignatureSupport.requireSecrets;
import static io.bookinghub.toolkit.webhook.SignatureSupport.singleHeader;
import static io.bookinghub.toolkit.webhook.SignatureSupport.utf8;
import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies Square-style signatures: one header (by default {@value #DEFAULT_HEADER}) holding the
 * base64 HMAC-SHA256 of the notification URL followed by the body. The URL is the one registered with
 * the provider, fixed at construction rather than taken from the request, because proxies rewrite the
 * URL a request arrives on. Secrets are used as their UTF-8 bytes; the request passes if the signature
 * matches any of them. There is no timestamp, so replay protection is left to event de-duplication.
 */
public final class UrlBodyHmacVerifier implements WebhookSignatureVerifier {

    public static final String DEFAULT_HEADER = "x-square-hmacsha256-signature";

    private final List<byte[]> keys;
    private final String headerName;
    private final byte[] notificationUrl;

    /** A verifier reading {@value #DEFAULT_HEADER}. */
    public UrlBodyHmacVerifier(List<String> secrets, String notificationUrl) {
        this(secrets, DEFAULT_HEADER, notificationUrl);
    }

    /**
     * @param secrets         accepted secrets; may be empty, in which case every request fails with
     *                        {@code NO_SECRET}
     * @param headerName      header holding the signature, matched case-insensitively
     * @param notificationUrl the URL exactly as registered with the provider
     * @throws IllegalArgumentException if a secret or the URL is empty, or the header name blank
     */
    public UrlBodyHmacVerifier(List<String> secrets, String headerName, String notificationUrl) {
        this.keys = SignatureSupport.utf8Keys(secrets);
        this.headerName = SignatureSupport.requireHeaderName(headerName);
        requireNonNull(notificationUrl, "notificationUrl is null");
        if (notificationUrl.isEmpty()) {
            throw new IllegalArgumentException("notificationUrl is empty");
        }
        this.notificationUrl = utf8(notificationUrl);
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        requireNonNull(request, "request is null");
        requireSecrets(keys);
        byte[] signature = parseBase64Mac(singleHeader(request, headerName).trim(), headerName);
        byte[] body = request.body();
        List<byte[]> expected = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            expected.add(hmacSha256(key, notificationUrl, body));
        }
        if (!anyMatches(expected, List.of(signature))) {
            throw mismatch(headerName);
        }
    }

    @Override
    public String toString() {
        return "UrlBodyHmacVerifier[header=" + headerName + ", secrets=" + keys.size() + "]";
    }
}
