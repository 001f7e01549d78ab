package io.bookinghub.toolkit.webhook;

import static io.bookinghub.toolkit.webhook.SignatureSupport.anyMatches;
import static io.bookinghub.toolkit.webhook.SignatureSupport.checkTolerance;
import static io.bookinghub.toolkit.webhook.SignatureSupport.hmacSha256;
import static io.bookinghub.toolkit.webhook.SignatureSupport.malformed;
import static io.bookinghub.toolkit.webhook.SignatureSupport.mismatch;
import static io.bookinghub.toolkit.webhook.SignatureSupport.parseBase64Mac;
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
 * Verifies <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> signatures.
 *
 * <p>The request must carry exactly one each of {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds) and {@code webhook-signature}. The signature header is a space-separated list of
 * {@code version,signature} entries; {@code v1} entries are base64 HMAC-SHA256 over
 * {@code "{id}.{timestamp}.{body}"}, entries of other versions are skipped, and the request passes if
 * any {@code v1} entry matches any configured secret. A header holding an entry without a comma, or a
 * {@code v1} entry that is not 32 bytes of base64, is rejected as malformed; one holding no {@code v1}
 * entry at all is a signature mismatch.
 *
 * <p>Secrets are {@code whsec_} followed by the base64 key; the bare base64 key is accepted too.
 * Configure two secrets while rotating. The timestamp may lie at most the tolerance (inclusive, whole
 * seconds) before or after the injected clock's time.
 */
public final class StandardWebhooksVerifier implements WebhookSignatureVerifier {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** Prefix of Standard Webhooks secrets. */
    public static final String SECRET_PREFIX = "whsec_";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String V1 = "v1";

    private final List<byte[]> keys;
    private final long toleranceSeconds;
    private final Clock clock;

    /** A verifier with the default tolerance of five minutes. */
    public StandardWebhooksVerifier(List<String> secrets, Clock clock) {
        this(secrets, DEFAULT_TOLERANCE, clock);
    }

    /**
     * @param secrets   accepted secrets; may be empty, in which case every request fails with
     *                  {@code NO_SECRET}
     * @param tolerance how far the timestamp may be from the clock's time, either way
     * @throws IllegalArgumentException if a secret is empty or not base64, or the tolerance is negative;
     *         the message names the secret's position, never its value
     */
    public StandardWebhooksVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        this.keys = SignatureSupport.standardWebhooksKeys(secrets);
        this.toleranceSeconds = SignatureSupport.toleranceSeconds(tolerance);
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void verify(WebhookRequest request) throws WebhookVerificationException {
        requireNonNull(request, "request is null");
        requireSecrets(keys);
        String id = singleHeader(request, ID_HEADER);
        String timestampText = singleHeader(request, TIMESTAMP_HEADER);
        String signatureHeader = singleHeader(request, SIGNATURE_HEADER);
        if (id.isEmpty()) {
            throw malformed(ID_HEADER, "is empty");
        }
        long timestamp = parseUnixSeconds(timestampText, TIMESTAMP_HEADER);
        List<byte[]> signatures = parseV1Signatures(signatureHeader);
        checkTolerance(timestamp, clock, toleranceSeconds);
        if (signatures.isEmpty()) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.SIGNATURE_MISMATCH,
                    "header " + SIGNATURE_HEADER + " holds no v1 signature");
        }
        byte[] prefix = utf8(id + "." + timestampText + ".");
        byte[] body = request.body();
        List<byte[]> expected = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            expected.add(hmacSha256(key, prefix, body));
        }
        if (!anyMatches(expected, signatures)) {
            throw mismatch(SIGNATURE_HEADER);
        }
    }

    private static List<byte[]> parseV1Signatures(String header) throws WebhookVerificationException {
        List<byte[]> v1 = new ArrayList<>();
        boolean anyEntry = false;
        for (String entry : header.split(" ")) {
            if (entry.isEmpty()) {
                continue;
            }
            anyEntry = true;
            int comma = entry.indexOf(',');
            if (comma <= 0 || comma == entry.length() - 1) {
                throw malformed(SIGNATURE_HEADER, "holds an entry that is not version,signature");
            }
            if (entry.substring(0, comma).equals(V1)) {
                v1.add(parseBase64Mac(entry.substring(comma + 1), SIGNATURE_HEADER));
            }
        }
        if (!anyEntry) {
            throw malformed(SIGNATURE_HEADER, "is empty");
        }
        return v1;
    }

    @Override
    public String toString() {
        return "StandardWebhooksVerifier[secrets=" + keys.size() + ", toleranceSeconds=" + toleranceSeconds + "]";
    }
}
