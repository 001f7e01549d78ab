package io.bookinghub.spi;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookRoute;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * The extension point every connector plugin implements (mark the class with {@code @Extension}).
 *
 * <p>Lifecycle: the hub creates one factory instance per connector type when it loads the plugin,
 * reads {@link #descriptor()} once, and calls {@link #create} for each business connection when the
 * connection is enabled, after its configuration changes, and at start-up for enabled connections.
 * The hub {@link BookingConnector#close() closes} the previous instance before it replaces one.
 * Factories must be thread-safe and cheap to keep; heavy resources belong to connector instances.
 */
public interface BookingConnectorFactory extends ExtensionPoint {

    /** Identity, capabilities and configuration metadata. Must return an equal value on every call. */
    ConnectorDescriptor descriptor();

    /**
     * Creates the connector for one business connection.
     *
     * @param context what the hub supplies: validated configuration, clock, credentials, audit, sink
     * @throws ConnectorException with {@link ErrorCode#INVALID_INPUT} if the configuration is unusable
     *                            in a way the metadata cannot express
     */
    BookingConnector create(ConnectorContext context);

    /**
     * How the hub routes this connector's inbound webhooks to a connection; see {@link WebhookRoute}. Default:
     * {@link WebhookRoute#byAccount()}, with the account read by {@link #webhookAccountId}. A connector whose
     * payloads name no account declares {@link WebhookRoute#byUrl()} (each connection registers its own URL) or
     * {@link WebhookRoute#byHeader}/{@link WebhookRoute#byQueryParameter}. Must return an equal value on every call.
     *
     * @since SPI 2.0.0
     */
    default WebhookRoute webhookRoute() {
        return WebhookRoute.byAccount();
    }

    /**
     * Reads, without trusting it, which provider account (e.g. the provider's business id) an inbound
     * webhook on the shared route {@code /connectors/{id}/webhook} is for, so the hub can pick the
     * connection whose secret then verifies it. Must not throw for malformed input: return empty.
     * Used only when {@link #webhookRoute()} is {@link WebhookRoute.Kind#BY_ACCOUNT}. Default: empty, meaning only
     * per-connection webhook URLs can be routed (declare {@link WebhookRoute#byUrl()} then, so the hub says so).
     */
    default Optional<String> webhookAccountId(WebhookRequest request) {
        return Optional.empty();
    }
}
