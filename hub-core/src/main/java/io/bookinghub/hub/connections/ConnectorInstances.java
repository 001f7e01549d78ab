package io.bookinghub.hub.connections;

import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.lifecycle.Managed;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live connector instance of each connection. An instance is rebuilt when the stored connection
 * changed (its updated_at moved), which is also how a configuration change made on another hub
 * process reaches this one.
 */
public final class ConnectorInstances implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorInstances.class);

    private record Live(Instant version, BookingConnector connector) {
    }

    private final ConnectorPlugins plugins;
    private final ConnectionContexts contexts;
    private final Map<UUID, Live> live = new ConcurrentHashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    public ConnectorInstances(ConnectorPlugins plugins, ConnectionContexts contexts) {
        this.plugins = plugins;
        this.contexts = contexts;
    }

    public InstalledConnector installed(String connectorId) {
        return plugins.find(connectorId).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No connector '" + connectorId
                + "' is installed"));
    }

    /**
     * The instance for a connection row. A row older than the live instance (read from a short-lived
     * cache) gets the live instance: an instance is only ever replaced by a newer version.
     */
    public BookingConnector get(ConnectionRow row) {
        Live current = live.get(row.id());
        if (current != null && !current.version().isBefore(row.updatedAt())) {
            return current.connector();
        }
        InstalledConnector installed = installed(row.connectorId());
        BookingConnector created = installed.factory().create(contexts.create(row, installed.descriptor()));
        Live replaced = live.put(row.id(), new Live(row.updatedAt(), created));
        if (replaced != null) {
            close(replaced.connector());
        }
        return created;
    }

    /** Installs an instance created (and so validated) while the connection was being configured. */
    public void put(ConnectionRow row, BookingConnector connector) {
        Live replaced = live.put(row.id(), new Live(row.updatedAt(), connector));
        if (replaced != null && replaced.connector() != connector) {
            close(replaced.connector());
        }
        changeListeners.forEach(Runnable::run);
    }

    public void remove(UUID connectionId) {
        Live removed = live.remove(connectionId);
        if (removed != null) {
            close(removed.connector());
        }
        changeListeners.forEach(Runnable::run);
    }

    /**
     * Runs {@code listener} whenever this process configures, disables or removes a connection, so that
     * what caches connection rows can drop them at once instead of waiting for their expiry.
     */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    private static void close(BookingConnector connector) {
        try {
            connector.close();
        } catch (RuntimeException e) {
            LOG.warn("Connector {} failed to close: {}", connector.descriptor().id(), e.toString());
        }
    }

    @Override
    public void stop() {
        live.keySet().forEach(this::remove);
    }
}
