package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, re-derives the webhook routing account of connections that an other version of their connector bound
 * ({@link ConnectionService#rederiveRoutes}). Plugins change only when the hub starts, so once per start is enough;
 * it runs on its own thread because it calls providers, and start-up must not wait for them.
 */
final class RouteRederivation implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RouteRederivation.class);

    private final ConnectorPlugins plugins;
    private final ConnectionService service;
    private Thread thread;

    RouteRederivation(ConnectorPlugins plugins, ConnectionService service) {
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public void start() {
        thread = new Thread(this::run, "webhook-route-rederivation");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        for (InstalledConnector installed : plugins.connectors()) {
            try {
                int done = service.rederiveRoutes(installed.descriptor());
                if (done > 0) {
                    LOG.info("Re-derived the webhook routing account of {} connection(s) of {} with version {}", done,
                            installed.descriptor().id(), installed.descriptor().version());
                }
            } catch (RuntimeException e) {
                // The database may be briefly unavailable at start; the next start tries again.
                LOG.warn("Re-deriving webhook routes of {} failed: {}", installed.descriptor().id(), e.toString());
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
