package io.bookinghub.toolkit.webhook;

import static io.bookinghub.toolkit.webhook.SignatureSupport.base64;
import static io.bookinghub.toolkit.webhook.SignatureSupport.hex;
import static io.bookinghub.toolkit.webhook.SignatureSupport.hmacSha256;
import static io.bookinghub.toolkit.webhook.SignatureSupport.utf8;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Produces signature header values for each scheme the verifiers accept, as a provider would send
 * them. Used by the sandbox connector, the connector test kit and tests; the hub itself never signs.
 * Secrets follow the same rules as in the matching verifier.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    /**
     * The three Standard Webhooks headers ({@code webhook-id}, {@code webhook-timestamp},
     * {@code webhook-signature}) for a body, in that order.
     *
     * @param secret    {@code whsec_} followed by the base64 key, or the bare base64 key
     * @param timestamp signing time, sent in whole Unix seconds
     * @throws IllegalArgumentException if the secret is not valid, the id empty or the timestamp
     *         before 1970
     */
    public static Map<String, String> standardWebhooksHeaders(String secret, String id, Instant timestamp,
            byte[] body) {
        long seconds = unixSeconds(timestamp);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(StandardWebhooksVerifier.ID_HEADER, id);
        headers.put(StandardWebhooksVerifier.TIMESTAMP_HEADER, Long.toString(seconds));
        headers.put(StandardWebhooksVerifier.SIGNATURE_HEADER, standardWebhooksSignature(secret, id, timestamp, body));
        return Collections.unmodifiableMap(headers);
    }

    /** Just the {@code webhook-signature} value, {@code v1,<base64>}, for one secret. */
    public static String standardWebhooksSignature(String secret, String id, Instant timestamp, byte[] body) {
        byte[] key = SignatureSupport.standardWebhooksKey(secret, "secret");
        requireNonNull(id, "id is null");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id is empty");
        }
        long seconds = unixSeconds(timestamp);
        requireNonNull(body, "body is null");
        return "v1," + base64(hmacSha256(key, utf8(id + "." + seconds + "."), body));
    }

    /** The GitHub-style header value, {@code sha256=<hex>}; the secret is used as UTF-8 bytes. */
    public static String hexHmacHeader(String secret, byte[] body) {
        return HexHmacVerifier.DEFAULT_PREFIX + hexHmac(secret, body);
    }

    /** Just the 64 hex digits of the body's HMAC-SHA256, for providers that send them bare or with another prefix. */
    public static String hexHmac(String secret, byte[] body) {
        byte[] key = SignatureSupport.utf8Key(secret, "secret");
        requireNonNull(body, "body is null");
        return hex(hmacSha256(key, body));
    }

    /**
     * The Stripe-style header value, {@code t=<unix seconds>,v1=<hex>}; the secret is used as UTF-8
     * bytes.
     *
     * @throws IllegalArgumentException if the secret is empty or the timestamp before 1970
     */
    public static String timestampedHeader(String secret, Instant timestamp, byte[] body) {
        return "t=" + unixSeconds(timestamp) + ",v1=" + timestampedSignature(secret, timestamp, body);
    }

    /**
     * Just the hex signature of the Stripe-style scheme, so that a header signed with several secrets
     * during rotation can be assembled as {@code t=<unix>,v1=<first>,v1=<second>}.
     */
    public static String timestampedSignature(String secret, Instant timestamp, byte[] body) {
        byte[] key = SignatureSupport.utf8Key(secret, "secret");
        long seconds = unixSeconds(timestamp);
        requireNonNull(body, "body is null");
        return hex(hmacSha256(key, utf8(seconds + "."), body));
    }

    /** The Square-style header value: base64 HMAC of the URL followed by the body. */
    public static String urlBodyHeader(String secret, String notificationUrl, byte[] body) {
        byte[] key = SignatureSupport.utf8Key(secret, "secret");
        requireNonNull(notificationUrl, "notificationUrl is null");
        requireNonNull(body, "body is null");
        return base64(hmacSha256(key, utf8(notificationUrl), body));
    }

    private static long unixSeconds(Instant timestamp) {
        requireNonNull(timestamp, "timestamp is null");
        if (timestamp.getEpochSecond() < 0) {
            throw new IllegalArgumentException("timestamp is before 1970");
        }
        return timestamp.getEpochSecond();
    }
}
