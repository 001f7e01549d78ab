package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the webhook inbox: claims due events with a lease (safe with any number of hub processes),
 * applies each through its connection's handler into a record sink, and marks it DONE; a failure is
 * retried with exponential backoff and parked after {@code maxAttempts}. INVALID_INPUT and UNSUPPORTED
 * failures are parked at once, since retrying the same payload cannot succeed.
 *
 * <p>An event whose connection is gone or disabled when its turn comes is marked UNROUTED, not dropped.
 * An UNROUTED event without a connection (put back by an admin) is routed by its account id to the
 * enabled connection of that account, if there now is one.
 *
 * <p>Delivery to the handler is at least once: a process that dies between applying and marking DONE
 * leaves the event to be applied again when its lease runs out, which is why handlers must be idempotent
 * (the record sink's content hash and stale protection make a repeated apply a no-op).
 */
public final class WebhookWorkers implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookWorkers.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    /** Worker settings. */
    public record Settings(int threads, Duration pollInterval, int claimBatchSize, int maxAttempts,
            Duration initialBackoff, Duration maxBackoff, Duration lease, Duration retention) {
        public Settings {
            requireNonNull(pollInterval, "pollInterval is null");
            requireNonNull(initialBackoff, "initialBackoff is null");
            requireNonNull(maxBackoff, "maxBackoff is null");
            requireNonNull(lease, "lease is null");
            requireNonNull(retention, "retention is null");
            if (threads < 0 || claimBatchSize < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("threads >= 0, claimBatchSize >= 1 and maxAttempts >= 1 required");
            }
        }
    }

    private final Clock clock;
    private final WebhookStore store;
    private final WebhookConnectors connectors;
    private final RecordStore records;
    private final Settings settings;
    private final String name;
    private final Counter unexpected;
    private volatile boolean running;
    private ExecutorService executor;
    private volatile Instant nextPurge;
    /**
     * Claims this pool holds but could neither finish nor hand back (the database failed meanwhile). They
     * are handed back as soon as the database answers again, rather than waiting out their lease.
     */
    private final Set<Claim> unreleased = ConcurrentHashMap.newKeySet();

    private record Claim(long id, int attempts) {
    }

    WebhookWorkers(Clock clock, WebhookStore store, WebhookConnectors connectors, RecordStore records, Settings settings,
            String name, Counter unexpected) {
        this.clock = requireNonNull(clock, "clock is null");
        this.store = requireNonNull(store, "store is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.records = requireNonNull(records, "records is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.name = requireNonNull(name, "name is null");
        this.unexpected = requireNonNull(unexpected, "unexpected is null");
    }

    @Override
    public synchronized void start() {
        if (running || settings.threads() == 0) {
            return;
        }
        running = true;
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < settings.threads(); i++) {
            executor.execute(this::loop);
        }
    }

    /** Stops claiming; events being applied are finished (up to 30 s), claimed-but-unstarted ones wait for their lease. */
    @Override
    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void loop() {
        while (running) {
            int processed;
            try {
                releaseUnfinished();
                purgeIfDue();
                processed = runOnce();
            } catch (Throwable e) {
                // Throwable, not RuntimeException: an Error escaping one round (a plugin's LinkageError,
                // a StackOverflowError) must not end this thread for good and shrink the pool.
                if (!running) {
                    // Stopping: an interrupted pool wait or a database going away now is expected. The
                    // round's claims are handed back by another process when their lease runs out.
                    LOG.info("Webhook worker stopped during a round: {}", InboxWriter.summary(e));
                    return;
                }
                // The database may be down: back off and try again rather than lose the worker.
                LOG.warn("Webhook worker round failed: {}", InboxWriter.summary(e));
                processed = 0;
            }
            if (processed == 0) {
                try {
                    Thread.sleep(settings.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Claims one batch of due events and processes it on the calling thread.
     *
     * @return how many events were claimed
     */
    public int runOnce() {
        Instant now = clock.instant();
        List<InboxRow> claimed = store.claim(now, now.plus(settings.lease()), settings.claimBatchSize());
        // Events of one batch mostly share a connection: read each connection once per batch.
        Map<UUID, Optional<ConnectionRow>> connections = new HashMap<>();
        int next = 0;
        try {
            for (; next < claimed.size(); next++) {
                if (Thread.currentThread().isInterrupted()) {
                    // Stopping: hand the rest back so that another process need not wait for their lease.
                    keepUnfinished(claimed, next);
                    releaseUnfinished();
                    break;
                }
                process(claimed.get(next), connections);
            }
        } catch (Throwable e) {
            // The row that failed may or may not have been applied: applying it again is harmless (handlers
            // are idempotent), waiting out its lease after the database is back is not.
            keepUnfinished(claimed, next);
            throw e;
        }
        return claimed.size();
    }

    private void keepUnfinished(List<InboxRow> claimed, int from) {
        claimed.subList(from, claimed.size()).forEach(r -> unreleased.add(new Claim(r.id(), r.attempts())));
    }

    /** Hands back claims left over from a round the database failed in; throws while it still fails. */
    private void releaseUnfinished() {
        if (unreleased.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (Claim claim : List.copyOf(unreleased)) {
            store.release(claim.id(), claim.attempts(), now);
            unreleased.remove(claim);
        }
    }

    /** Processes everything due now (tests and the CLI); returns events processed. */
    public int drain() {
        int total = 0;
        int n;
        while ((n = runOnce()) > 0) {
            total += n;
        }
        return total;
    }

    private void process(InboxRow row, Map<UUID, Optional<ConnectionRow>> connections) {
        if (row.attempts() > settings.maxAttempts()) {
            // Claimed again after its leases ran out too often: whatever happens to it kills its worker.
            store.finish(row.id(), row.attempts(), InboxStatus.PARKED,
                    "abandoned: no worker finished it in " + settings.maxAttempts() + " attempts", clock.instant());
            return;
        }
        Optional<ConnectionRow> connection = resolveConnection(row, connections);
        if (connection.isEmpty() || !connection.get().enabled()) {
            store.finish(row.id(), row.attempts(), InboxStatus.UNROUTED, connection.isEmpty()
                    ? "no enabled connection for this event" : "connection is disabled", clock.instant());
            return;
        }
        ConnectionRow conn = connection.get();
        try (WebhookConnectors.HandlerRef ref = connectors.handler(conn)) {
            ref.handler().apply(row.event(), records.sink(conn.businessId(), row.connectorId()));
        } catch (Throwable e) {
            // Throwable: a connector's Error (StackOverflowError, LinkageError) is this event's failure,
            // not the worker's; the worker parks the event and goes on with the next one.
            failed(row, e);
            return;
        }
        if (!store.finish(row.id(), row.attempts(), InboxStatus.DONE, null, clock.instant())) {
            LOG.warn("Webhook event {} was applied after its lease ran out", row.id());
        }
    }

    private Optional<ConnectionRow> resolveConnection(InboxRow row, Map<UUID, Optional<ConnectionRow>> connections) {
        if (row.connectionId() != null) {
            return connections.computeIfAbsent(row.connectionId(), store::connection);
        }
        if (row.accountId() == null) {
            return Optional.empty();
        }
        Optional<ConnectionRow> found = store.connectionsForAccount(row.connectorId(), row.accountId()).stream()
                .filter(ConnectionRow::enabled).findFirst();
        found.ifPresent(c -> store.route(row.id(), c.businessId(), c.id()));
        return found;
    }

    private void failed(InboxRow row, Throwable e) {
        // A ConnectorException's message is safe to store by contract; any other message might quote a
        // secret-bearing URL or header, so only its type is kept.
        String error = e instanceof ConnectorException ce ? ce.toString() : "unexpected " + e.getClass().getName();
        if (!(e instanceof ConnectorException)) {
            unexpected.inc();
        }
        // An Error is parked at once: the same payload through the same plugin fails the same way again.
        boolean hopeless = e instanceof Error || e instanceof ConnectorException ce
                && (ce.code() == ErrorCode.INVALID_INPUT || ce.code() == ErrorCode.UNSUPPORTED);
        Instant now = clock.instant();
        if (hopeless || row.attempts() >= settings.maxAttempts()) {
            LOG.warn("Webhook event {} of {} parked after {} attempts: {}", row.id(), row.connectorId(),
                    row.attempts(), e.getClass().getSimpleName());
            store.finish(row.id(), row.attempts(), InboxStatus.PARKED, error, now);
        } else {
            store.retryLater(row.id(), row.attempts(), now.plus(backoff(row.attempts())), error);
        }
    }

    /** Delay after the n-th failed attempt: initial, doubled each time, capped. */
    Duration backoff(int attempts) {
        Duration d = settings.initialBackoff();
        for (int i = 1; i < attempts && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private void purgeIfDue() {
        Instant now = clock.instant();
        if (nextPurge != null && now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_EVERY);
        int deleted = store.purge(now.minus(settings.retention()));
        if (deleted > 0) {
            LOG.info("Purged {} webhook rows older than {}", deleted, settings.retention());
        }
    }

    /** Deletes audit rows and finished events older than the retention; returns rows deleted. */
    public int purge() {
        return store.purge(clock.instant().minus(settings.retention()));
    }
}
