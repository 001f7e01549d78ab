package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.connections.ConnectionContexts;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.webhook.WebhookHandler;
import java.util.Optional;

/** How the webhook code reaches connectors; tests supply their own. */
public interface WebhookConnectors {

    /** The factory of an installed connector that declares {@link Capability#WEBHOOKS}, or empty. */
    Optional<BookingConnectorFactory> factory(String connectorId);

    /**
     * The webhook handler of a connection, enabled or not (a disabled connection's handler still verifies
     * events so they can be kept as UNROUTED). Release it with {@link HandlerRef#close()}.
     *
     * @throws ConnectorException if the connection's connector cannot be created
     */
    HandlerRef handler(ConnectionRow row);

    /** A handler plus what to do when the caller is done with it. */
    record HandlerRef(WebhookHandler handler, Runnable release) implements AutoCloseable {
        public HandlerRef {
            requireNonNull(handler, "handler is null");
            requireNonNull(release, "release is null");
        }

        @Override
        public void close() {
            release.run();
        }
    }

    /**
     * The hub's connectors: enabled connections use their live instance; a disabled one gets a throw-away
     * instance, so verifying its events does not keep a connector alive for it.
     */
    static WebhookConnectors of(ConnectorPlugins plugins, ConnectorInstances instances, ConnectionContexts contexts) {
        return new WebhookConnectors() {
            @Override
            public Optional<BookingConnectorFactory> factory(String connectorId) {
                return plugins.find(connectorId).filter(i -> i.descriptor().supports(Capability.WEBHOOKS))
                        .map(InstalledConnector::factory);
            }

            @Override
            public HandlerRef handler(ConnectionRow row) {
                if (row.enabled()) {
                    return new HandlerRef(instances.get(row).webhooks(), () -> { });
                }
                InstalledConnector installed = instances.installed(row.connectorId());
                BookingConnector connector = installed.factory().create(contexts.create(row, installed.descriptor()));
                try {
                    return new HandlerRef(connector.webhooks(), connector::close);
                } catch (RuntimeException e) {
                    connector.close();
                    throw e;
                }
            }
        };
    }
}
