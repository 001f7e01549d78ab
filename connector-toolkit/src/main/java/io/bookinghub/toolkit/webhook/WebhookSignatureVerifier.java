package io.bookinghub.toolkit.webhook;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;

/**
 * Checks the signature of an inbound webhook against a connection's secrets. Implementations are
 * immutable and thread-safe, so one instance can serve every request of a connection; connectors
 * usually delegate {@link io.bookinghub.spi.webhook.WebhookHandler#verify} to one of these,
 * created with {@link WebhookVerifierConfig#builder}.
 *
 * <p>Signatures are always computed over the raw body bytes of the request, never over a
 * re-serialised form.
 */
public interface WebhookSignatureVerifier {

    /**
     * Returns normally only if the request carries a valid signature, made with one of the configured
     * secrets over exactly this body (and, for timed schemes, with a timestamp within tolerance).
     *
     * @throws WebhookVerificationException for every refused request, whatever its headers contain:
     *         missing, repeated or unparseable headers, stale or future timestamps, wrong signatures,
     *         or no configured secret. The message never contains a secret or an expected signature.
     * @throws NullPointerException if {@code request} is null, which is a caller bug rather than
     *         something a sender can cause
     */
    void verify(WebhookRequest request) throws WebhookVerificationException;
}
