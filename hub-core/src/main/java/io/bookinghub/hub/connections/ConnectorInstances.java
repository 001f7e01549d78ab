package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live connector instance of each connection. An instance is rebuilt when the stored connection
 * changed (its updated_at moved), which is also how a configuration change made on another hub
 * process reaches this one.
 *
 * <p>Replacing is atomic ({@link Map#compute}): concurrent callers with the same new row build one instance.
 * A replaced, removed or idle instance is closed only when nobody uses it: a long use (a sync, an import, a
 * webhook apply) holds a lease ({@link #use}), and a short borrow ({@link #get}) counts as a use for
 * {@link #RETIRED_GRACE}. The {@link #sweep} that runs every {@link #SWEEP_EVERY} closes such retired instances and
 * evicts live ones unused for the configured idle time; the next caller builds the instance again.
 */
public final class ConnectorInstances implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorInstances.class);
    /** How long after its last borrow a replaced instance stays open for a caller that still holds it. */
    static final Duration RETIRED_GRACE = Duration.ofMinutes(1);
    static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    /** One instance with its users: leases held, and when it was last handed out or given back. */
    private static final class Live {
        final Instant version;
        final BookingConnector connector;
        private int leases;
        private Instant lastUsed;
        private boolean closed;

        Live(Instant version, BookingConnector connector, Instant now) {
            this.version = version;
            this.connector = connector;
            this.lastUsed = now;
        }

        /** False when it was already closed: the caller must look again. */
        synchronized boolean acquire(Instant now) {
            if (closed) {
                return false;
            }
            leases++;
            lastUsed = now;
            return true;
        }

        synchronized void release(Instant now) {
            leases--;
            lastUsed = now;
        }

        /** Marks it closed when nobody holds it and it was last used before {@code unusedSince}. */
        synchronized boolean retireIfUnused(Instant unusedSince) {
            if (closed || leases > 0 || lastUsed.isAfter(unusedSince)) {
                return false;
            }
            closed = true;
            return true;
        }

        synchronized boolean closed() {
            return closed;
        }
    }

    private final ConnectorPlugins plugins;
    private final ConnectionContexts contexts;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Map<UUID, Live> live = new ConcurrentHashMap<>();
    /** Replaced or removed instances waiting until nobody uses them. */
    private final Set<Live> retired = ConcurrentHashMap.newKeySet();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService sweeper;

    /**
     * @param idleTimeout how long an unused instance stays live before it is closed and evicted
     */
    public ConnectorInstances(ConnectorPlugins plugins, ConnectionContexts contexts, Clock clock,
            Duration idleTimeout) {
        this.plugins = plugins;
        this.contexts = contexts;
        this.clock = requireNonNull(clock, "clock is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    public InstalledConnector installed(String connectorId) {
        return plugins.find(connectorId).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No connector '"
                + connectorId + "' is installed"));
    }

    /**
     * The instance for a connection row, for a short call. A row older than the live instance (read from a
     * short-lived cache) gets the live instance: an instance is only ever replaced by a newer version. Hold it
     * no longer than {@link #RETIRED_GRACE}; for longer work use {@link #use}.
     */
    public BookingConnector get(ConnectionRow row) {
        Live instance = acquire(row);
        instance.release(clock.instant());
        return instance.connector;
    }

    /** Runs {@code work} with the row's instance, which stays open until {@code work} returns. */
    public <T> T use(ConnectionRow row, Function<BookingConnector, T> work) {
        Live instance = acquire(row);
        try {
            return work.apply(instance.connector);
        } finally {
            instance.release(clock.instant());
        }
    }

    private Live acquire(ConnectionRow row) {
        while (true) {
            Live instance = live.compute(row.id(), (id, current) -> {
                if (current != null && !current.closed() && !current.version.isBefore(row.updatedAt())) {
                    return current;
                }
                InstalledConnector installed = installed(row.connectorId());
                Live created = new Live(row.updatedAt(),
                        installed.factory().create(contexts.create(row, installed.descriptor())), clock.instant());
                if (current != null && !current.closed()) {
                    retired.add(current);
                }
                return created;
            });
            if (instance.acquire(clock.instant())) {
                return instance;
            }
            // Evicted between compute and acquire: the next round builds a fresh one.
        }
    }

    /** Installs an instance created (and so validated) while the connection was being configured. */
    public void put(ConnectionRow row, BookingConnector connector) {
        Live installed = new Live(row.updatedAt(), connector, clock.instant());
        Live replaced = live.put(row.id(), installed);
        if (replaced != null && replaced.connector != connector) {
            retired.add(replaced);
        }
        changeListeners.forEach(Runnable::run);
    }

    public void remove(UUID connectionId) {
        Live removed = live.remove(connectionId);
        if (removed != null) {
            retired.add(removed);
        }
        sweep();
        changeListeners.forEach(Runnable::run);
    }

    /**
     * Runs {@code listener} whenever this process configures, disables or removes a connection, so that
     * what caches connection rows can drop them at once instead of waiting for their expiry.
     */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** Closes retired instances nobody uses any more, and evicts idle live ones. */
    void sweep() {
        Instant now = clock.instant();
        for (Live instance : retired) {
            if (instance.retireIfUnused(now.minus(RETIRED_GRACE))) {
                close(instance.connector);
            }
            if (instance.closed()) {
                retired.remove(instance);
            }
        }
        for (Map.Entry<UUID, Live> entry : live.entrySet()) {
            Live instance = entry.getValue();
            // Once marked, nobody can acquire it any more: the next caller builds a new one.
            if (instance.retireIfUnused(now.minus(idleTimeout))) {
                live.remove(entry.getKey(), instance);
                close(instance.connector);
            }
        }
    }

    /** How many instances are open (live or retired but still in use), for tests and metrics. */
    int open() {
        return (int) (live.values().stream().filter(l -> !l.closed()).count()
                + retired.stream().filter(l -> !l.closed()).count());
    }

    private static void close(BookingConnector connector) {
        try {
            connector.close();
        } catch (RuntimeException e) {
            LOG.warn("Connector {} failed to close: {}", connector.descriptor().id(), e.toString());
        }
    }

    @Override
    public void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connector-instances-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.warn("Sweeping connector instances failed: {}", e.toString());
            }
        }, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        // Everything registered later (syncs, webhook workers) has stopped: close what is left, used or not.
        live.values().stream().filter(instance -> !instance.closed()).forEach(instance -> close(instance.connector));
        live.clear();
        retired.stream().filter(instance -> !instance.closed()).forEach(instance -> close(instance.connector));
        retired.clear();
    }
}
