package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.webhook.WebhookHandler;

/**
 * A Zapier/Make inbound connection. It only receives webhooks: every other facet keeps the SPI's default, which
 * fails with UNSUPPORTED. Immutable, so one instance serves concurrent requests.
 */
final class ZapierInboundConnector implements BookingConnector {
    private final ConnectorDescriptor descriptor;
    private final ZapierWebhookHandler webhooks;

    ZapierInboundConnector(ConnectorDescriptor descriptor, ZapierWebhookHandler webhooks) {
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public WebhookHandler webhooks() {
        return webhooks;
    }

    @Override
    public String toString() {
        return "ZapierInboundConnector[" + webhooks + "]";
    }
}
