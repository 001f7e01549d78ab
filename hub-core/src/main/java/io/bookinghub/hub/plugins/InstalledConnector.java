package io.bookinghub.hub.plugins;

import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.webhook.WebhookRoute;

/** A connector factory that loaded cleanly, with the plugin it came from. */
public record InstalledConnector(String pluginId, String pluginVersion, ConnectorDescriptor descriptor,
        BookingConnectorFactory factory) {

    /** How this connector's webhooks are routed; see {@link #webhookRoute(BookingConnectorFactory)}. */
    public WebhookRoute webhookRoute() {
        return webhookRoute(factory);
    }

    /**
     * The route a factory declares. Plugin code: one that throws or answers null routes by account, as every
     * connector did before SPI 2.0, rather than failing the request or the view that asked.
     */
    public static WebhookRoute webhookRoute(BookingConnectorFactory factory) {
        try {
            WebhookRoute route = factory.webhookRoute();
            return route == null ? WebhookRoute.byAccount() : route;
        } catch (RuntimeException e) {
            return WebhookRoute.byAccount();
        }
    }
}
