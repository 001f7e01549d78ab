package io.bookinghub.spi.webhook;

import io.bookinghub.spi.sync.RecordSink;
import java.util.List;

/**
 * A connection's handling of provider webhooks. The hub calls {@link #verify} on the raw request
 * before anything else, stores the parsed events durably, answers the provider, and later calls
 * {@link #apply} once per event from a worker.
 */
public interface WebhookHandler {

    /**
     * The provider account this connection receives events for (e.g. the Booksy business id from its
     * configuration); the hub routes events whose {@code webhookAccountId} matches it here.
     */
    String accountId();

    /**
     * Checks the request's signature (and timestamp) against this connection's secrets.
     *
     * @throws WebhookVerificationException with a reason code; never any other exception
     */
    void verify(WebhookRequest request) throws WebhookVerificationException;

    /**
     * Parses a verified request into events.
     *
     * @throws io.bookinghub.spi.ConnectorException INVALID_INPUT for a malformed body
     */
    List<WebhookEvent> parse(WebhookRequest request);

    /**
     * Applies one event to the shared model. May fetch the canonical record from the provider when the
     * payload carries only an id. Must be idempotent: the hub may apply an event again after a crash.
     */
    void apply(WebhookEvent event, RecordSink sink);
}
