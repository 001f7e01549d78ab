package io.bookinghub.toolkit.webhook;

import static io.bookinghub.toolkit.webhook.SignatureSupport.anyMatches;
import static io.bookinghub.toolkit.webhook.SignatureSupport.checkTolerance;
import static io.bookinghub.toolkit.webhook.SignatureSupport.hmacSha256;
import static io.bookinghub.toolkit.webhook.SignatureSupport.malformed;
import static io.bookinghub.toolkit.webhook.SignatureSupport.mismatch;
import static io.bookinghub.toolkit.webhook.SignatureSupport.parseHexMac;
import static io.bookinghub.toolkit.webhook.SignatureSupport.parseUnixSeconds;
import static io.bookinghub.toolkit.webhook.SignatureSupport.requireSecrets;
import static io.bookinghub.toolkit.webhook.SignatureSupport.singleHeader;
import static io.bookinghub.toolkit.webhook.SignatureSupport.utf8;
import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies Stripe-style signatures: one header (by default {@value #DEFAULT_HEADER}) holding
 * comma-separated {@code key=value} items, exactly one {@code t=<unix seconds>} and any number of
 * {@code v1=<hex HMAC-SHA256>} over {@code "{t}.{body}"}. Items with other keys (such as Stripe's
 * {@code v0}) are skipped; the request passes if any {@code v1} matches any configured secret, which
 * lets a sender sign with both secrets during rotation. An item without {@code =}, a repeated or
 * non-numeric {@code t}, or a {@code v1} that is not 64 hex digits makes the header malformed.
 *
 * <p>Secrets are used as their UTF-8 bytes. The timestamp may lie at most the tolerance (inclusive,
 * whole seconds) before or after the injected clock's time.
 */
public final class TimestampedHmacVerifier implements WebhookSignatureVerifier {

    public static final String DEFAULT_HEADER = "Webhook-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<byte[]> keys;
    private final String headerName;
    private final long toleranceSeconds;
    private final Clock clock;

    /** A verifier reading {@value #DEFAULT_HEADER} with the default tolerance of five minutes. */
    public TimestampedHmacVerifier(List<String> secrets, Clock clock) {
        this(secrets, DEFAULT_HEADER, DEFAULT_TOLERANCE, clock);
    }

    /**
     * @param secrets    accepted secrets; may be empty, in which case every request fails with
     *                   {@code NO_SECRET}
     * @param headerName header holding timestamp and signatures, matched case-insensitively
     * @param tolerance  how far the timestamp may be from the clock's time, either way
     * @throws IllegalArgumentException if a secret is empty, the header name blank or the tolerance
     *         negative
     */
    public TimestampedHmacVerifier(List<String> secrets, String headerName, Duration tolerance, Clock clock) {
        this.keys = SignatureSupport.utf8Keys(secrets);
        this.headerName = SignatureSupport.requireHeaderName(headerName);
        this.toleranceSeconds = SignatureSupport.toleranceSeconds(tolerance);
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        requireNonNull(request, "request is null");
        requireSecrets(keys);
        String header = singleHeader(request, headerName);
        String timestampText = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String rawItem : header.split(",", -1)) {
            String item = rawItem.trim();
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw malformed(headerName, "holds an item that is not key=value");
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (key.equals("t")) {
                if (timestampText != null) {
                    throw malformed(headerName, "holds more than one timestamp");
                }
                parseUnixSeconds(value, headerName);
                timestampText = value;
            } else if (key.equals("v1")) {
                signatures.add(parseHexMac(value, headerName));
            }
        }
        if (timestampText == null) {
            throw malformed(headerName, "holds no timestamp");
        }
        checkTolerance(parseUnixSeconds(timestampText, headerName), clock, toleranceSeconds);
        if (signatures.isEmpty()) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.SIGNATURE_MISMATCH,
                    "header " + headerName + " holds no v1 signature");
        }
        // The signed prefix uses the timestamp exactly as sent, as the sender signed it.
        byte[] prefix = utf8(timestampText + ".");
        byte[] body = request.body();
        List<byte[]> expected = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            expected.add(hmacSha256(key, prefix, body));
        }
        if (!anyMatches(expected, signatures)) {
            throw mismatch(headerName);
        }
    }

    @Override
    public String toString() {
        return "TimestampedHmacVerifier[header=" + headerName + ", secrets=" + keys.size()
                + ", toleranceSeconds=" + toleranceSeconds + "]";
    }
}
