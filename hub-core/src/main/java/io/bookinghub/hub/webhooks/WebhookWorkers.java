package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.crypto.MissingKeyException;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Fairness between tenants: a claim takes at most {@code claimPerConnection} events of any one connection,
 * oldest first, so one connection's backlog cannot fill a batch while another connection's events wait; a
 * connection held by {@code maxWorkersPerConnection} workers of this process is left out of claims until one
 * lets go; and each apply runs against a deadline on a separate thread, so a connector call that hangs costs
 * its event a retry, not a worker. The apply that overran keeps its connection's slot until it really
 * ends, so a tarpit provider holds at most that many threads and never a worker.
 *
 * <p>Nodes: each pool heartbeats in {@code hub_nodes} and stamps its claims with its node id; a live pool
 * hands back the claims of a node whose heartbeat is older than {@code nodeStaleAfter}, so the events of a
 * killed process wait seconds rather than the whole lease.
 *
 * <p>Delivery to the handler is at least once: a process that dies between applying and marking DONE
 * leaves the event to be applied again when its lease runs out, which is why handlers must be idempotent
 * (the record sink's content hash and stale protection make a repeated apply a no-op).
 */
public final class WebhookWorkers implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookWorkers.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    /** How long one apply may hold up the rest of its batch before the rest is handed to other workers. */
    static final Duration HAND_BACK_AFTER = Duration.ofSeconds(1);
    /** How long a group of applies may keep taking further events into its transaction. */
    static final Duration GROUP_BUDGET = Duration.ofMillis(200);
    private static final String STALE = "ignored as stale: the stored record is newer";
    private static final int GROUP_RUNNING = 0;
    private static final int GROUP_COMMITTING = 1;
    private static final int GROUP_ABANDONED = 2;

    /** Worker settings. */
    public record Settings(int threads, Duration pollInterval, int claimBatchSize, int claimPerConnection,
            int maxWorkersPerConnection, Duration applyTimeout, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, Duration lease, Duration heartbeatInterval, Duration nodeStaleAfter,
            Duration retention) {
        public Settings {
            requireNonNull(pollInterval, "pollInterval is null");
            requireNonNull(applyTimeout, "applyTimeout is null");
            requireNonNull(initialBackoff, "initialBackoff is null");
            requireNonNull(maxBackoff, "maxBackoff is null");
            requireNonNull(lease, "lease is null");
            requireNonNull(heartbeatInterval, "heartbeatInterval is null");
            requireNonNull(nodeStaleAfter, "nodeStaleAfter is null");
            requireNonNull(retention, "retention is null");
            if (threads < 0 || claimBatchSize < 1 || claimPerConnection < 1 || maxWorkersPerConnection < 1
                    || maxAttempts < 1) {
                throw new IllegalArgumentException("threads >= 0, claimBatchSize, claimPerConnection, "
                        + "maxWorkersPerConnection and maxAttempts >= 1 required");
            }
            if (nodeStaleAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("nodeStaleAfter must be at least twice heartbeatInterval");
            }
        }
    }

    private final Clock clock;
    private final WebhookStore store;
    private final WebhookConnectors connectors;
    private final RecordStore records;
    private final Settings settings;
    private final String name;
    private final String nodeId;
    private final Counter unexpected;
    private final Counter timedOut;
    private final WebhookMetrics hubMetrics;
    private final HubTracing tracing;
    private final ThrottledLog roundFailures;
    private volatile boolean running;
    private ExecutorService executor;
    private ScheduledExecutorService heartbeats;
    private final ExecutorService applies;
    private volatile Instant nextPurge;
    private volatile boolean registered;
    /** Claiming is serialized within this pool, so its workers never compete for the same candidate rows. */
    private final ReentrantLock claimLock = new ReentrantLock();
    /** Per connection: its applies running in this pool, on time or past their deadline. */
    private final Map<UUID, AtomicInteger> holders = new ConcurrentHashMap<>();
    /**
     * Claims this pool holds but could neither finish nor hand back (the database failed meanwhile). They
     * are handed back as soon as the database answers again, rather than waiting out their lease.
     */
    private final Set<Claim> unreleased = ConcurrentHashMap.newKeySet();

    private record Claim(long id, int attempts) {
    }

    /** A group given up on by its worker rolls back instead of committing. */
    private static final class GroupAbandonedException extends RuntimeException {
        GroupAbandonedException() {
            super("apply group abandoned after its deadline", null, false, false);
        }
    }

    /** An apply that ran past its deadline; the event is retried, the call may still be running. */
    private static final class ApplyTimeoutException extends RuntimeException {
        ApplyTimeoutException(Duration deadline) {
            super("apply did not finish within " + deadline, null, false, false);
        }
    }

    WebhookWorkers(Clock clock, WebhookStore store, WebhookConnectors connectors, RecordStore records, Settings settings,
            String name, String nodeId, MetricRegistry metrics, WebhookMetrics hubMetrics, HubTracing tracing) {
        this.clock = requireNonNull(clock, "clock is null");
        this.store = requireNonNull(store, "store is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.records = requireNonNull(records, "records is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.name = requireNonNull(name, "name is null");
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.unexpected = metrics.counter("webhooks.unexpectedFailures");
        this.timedOut = metrics.counter("webhooks.applyTimeouts");
        this.hubMetrics = requireNonNull(hubMetrics, "hubMetrics is null");
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.roundFailures = new ThrottledLog(LOG, clock, ThrottledLog.DEFAULT_INTERVAL);
        AtomicInteger n = new AtomicInteger();
        // Unbounded on purpose: a thread is added only while an apply runs past its deadline, and a
        // connection with such an apply is not claimed again until it ends (maxWorkersPerConnection).
        this.applies = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-apply-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** This pool's node id in {@code hub_nodes} and in the claims it makes. */
    public String nodeId() {
        return nodeId;
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
        // Its own thread: a worker busy applying (up to applyTimeout per event) must not look dead.
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeatQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops claiming; events being applied are finished (up to 30 s), claimed-but-unstarted ones are handed
     * back, and the node leaves {@code hub_nodes}.
     */
    @Override
    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        heartbeats.shutdownNow();
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        applies.shutdownNow();
        try {
            releaseUnfinished();
            store.leave(nodeId, clock.instant());
        } catch (RuntimeException e) {
            // The database may be gone: other nodes release these claims once this heartbeat is stale.
            LOG.info("Webhook node {} could not sign off: {}", nodeId, InboxWriter.summary(e));
        }
    }

    private void loop() {
        hubMetrics.workerStarted();
        try {
            work();
        } finally {
            hubMetrics.workerStopped();
        }
    }

    private void work() {
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
                // The database may be down: back off and try again rather than lose the worker. Every
                // worker fails every poll while it is down, so the line is throttled.
                roundFailures.warn("Webhook worker round failed: {}", InboxWriter.summary(e));
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

    private void heartbeatQuietly() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            roundFailures.warn("Webhook node heartbeat failed: {}", InboxWriter.summary(e));
        }
    }

    /**
     * Records this node as alive and hands back the claims of nodes that stopped heartbeating.
     *
     * @return claims handed back
     */
    int heartbeat() {
        Instant now = clock.instant();
        store.heartbeat(nodeId, now);
        registered = true;
        int released = store.releaseStaleNodes(now.minus(settings.nodeStaleAfter()), now);
        if (released > 0) {
            LOG.warn("Handed back {} webhook events claimed by nodes silent for over {}", released,
                    settings.nodeStaleAfter());
        }
        return released;
    }

    /**
     * Claims one batch of due events and processes it on the calling thread.
     *
     * @return how many events were claimed
     */
    public int runOnce() {
        if (!registered) {
            // Claims carry the node id; a node must be in hub_nodes before it claims, or a crash would
            // leave claims no heartbeat check can find.
            heartbeat();
        }
        List<InboxRow> claimed = claim();
        // Events of one batch mostly share a connection: read each connection once per batch.
        Map<UUID, Optional<ConnectionRow>> connections = new HashMap<>();
        int next = 0;
        // Rows from here on were handed back to other workers; rows before `alone` are processed one by one.
        int stopAt = claimed.size();
        int alone = 0;
        try {
            while (next < stopAt) {
                if (Thread.currentThread().isInterrupted()) {
                    // Stopping: hand the rest back so that another process need not wait for their lease.
                    keepUnfinished(claimed, next);
                    releaseUnfinished();
                    break;
                }
                if (next >= alone) {
                    Grouped grouped = applyGroup(claimed, next, connections);
                    next += grouped.finished();
                    // Nothing grouped (a single event, or one the group cannot take): this one goes alone.
                    alone = next + (grouped.finished() == 0 && grouped.alone() == 0 ? 1 : grouped.alone());
                    stopAt = Math.min(stopAt, grouped.handedBackFrom());
                    continue;
                }
                int rest = next + 1;
                try (ApplyScope ignored = ApplyScope.logging(claimed.get(next))) {
                    if (process(claimed.get(next), connections, () -> handBack(claimed, rest))) {
                        stopAt = rest;
                    }
                }
                next++;
            }
        } catch (Throwable e) {
            // The row that failed may or may not have been applied: applying it again is harmless (handlers
            // are idempotent), waiting out its lease after the database is back is not.
            keepUnfinished(claimed, next);
            throw e;
        }
        return claimed.size();
    }

    /** Claims a batch, leaving out the connections this pool holds to their cap. */
    private List<InboxRow> claim() {
        claimLock.lock();
        try {
            List<UUID> full = new ArrayList<>();
            holders.forEach((id, n) -> {
                if (n.get() >= settings.maxWorkersPerConnection()) {
                    full.add(id);
                }
            });
            Instant now = clock.instant();
            List<InboxRow> claimed = store.claim(now, now.plus(settings.lease()), settings.claimBatchSize(),
                    settings.claimPerConnection(), full, nodeId);
            claimed.forEach(row -> hubMetrics.claimed(row.connectorId()));
            return claimed;
        } finally {
            claimLock.unlock();
        }
    }

    /** Takes one of the connection's slots if it has one free; atomic with other workers of this pool. */
    private boolean tryHold(UUID connectionId) {
        AtomicBoolean taken = new AtomicBoolean();
        holders.compute(connectionId, (k, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            if (count.get() < settings.maxWorkersPerConnection()) {
                count.incrementAndGet();
                taken.set(true);
            }
            return count.get() == 0 ? null : count;
        });
        return taken.get();
    }

    private void letGo(UUID connectionId) {
        holders.computeIfPresent(connectionId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Hands back the claims from {@code from} on, untried: other workers take them while this one waits. */
    private void handBack(List<InboxRow> claimed, int from) {
        Instant now = clock.instant();
        claimed.subList(from, claimed.size()).forEach(r -> store.unclaim(r.id(), r.attempts(), now));
    }

    private void keepUnfinished(List<InboxRow> claimed, int from) {
        claimed.subList(Math.min(from, claimed.size()), claimed.size())
                .forEach(r -> unreleased.add(new Claim(r.id(), r.attempts())));
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

    /**
     * What {@link #applyGroup} did, as indices into the claimed batch.
     *
     * @param finished       rows from the start that were applied and marked DONE in one commit
     * @param alone          rows after those that must be processed one by one (a group of them failed)
     * @param handedBackFrom the first row handed back to other workers (the batch's size when none was)
     */
    private record Grouped(int finished, int alone, int handedBackFrom) {
    }

    /**
     * Applies claimed rows from {@code from} on together: one transaction applies each event through a sink
     * that writes in it and marks the applied rows DONE, so a burst costs one commit (one flush) per group
     * instead of two per event, and an event is DONE exactly when its effect is committed. A group takes
     * consecutive rows of one enabled connection this pool can hold, for at most {@link #GROUP_BUDGET}; a group
     * whose apply fails is rolled back as a whole and its rows go one by one through {@link #process}, which
     * decides retries and parking. Slow applies are treated as in {@link #applyWithDeadline}: after
     * {@link #HAND_BACK_AFTER} the rows the group has not started are handed back, and after
     * {@code applyTimeout} the group is abandoned (it rolls back whenever it ends), its event counts as timed
     * out and the events applied before it in the group are due again at once.
     */
    private Grouped applyGroup(List<InboxRow> claimed, int from, Map<UUID, Optional<ConnectionRow>> connections) {
        // One connection per group: the group holds its connection's slot until it really ends, as a single
        // apply does, so a hanging apply never keeps another tenant's events from free workers.
        InboxRow first = claimed.get(from);
        UUID connectionId = first.connectionId();
        Optional<ConnectionRow> found = connectionId == null ? Optional.empty()
                : connections.computeIfAbsent(connectionId, store::connection);
        List<InboxRow> rows = new ArrayList<>();
        for (int i = from; i < claimed.size(); i++) {
            InboxRow row = claimed.get(i);
            if (row.attempts() > settings.maxAttempts() || !Objects.equals(row.connectionId(), connectionId)) {
                break;
            }
            rows.add(row);
        }
        if (rows.size() < 2 || found.isEmpty() || !found.get().enabled() || !tryHold(connectionId)) {
            return new Grouped(0, 0, claimed.size());
        }
        ConnectionRow conn = found.get();
        AtomicInteger cursor = new AtomicInteger();
        AtomicInteger current = new AtomicInteger(-1);
        AtomicInteger state = new AtomicInteger(GROUP_RUNNING);
        CompletableFuture<Integer> task;
        try {
            task = CompletableFuture.supplyAsync(() -> store.inOwnTransaction(h -> {
                long end = System.nanoTime() + GROUP_BUDGET.toNanos();
                List<WebhookStore.Done> done = new ArrayList<>(rows.size());
                int i;
                while (System.nanoTime() < end && (i = cursor.getAndIncrement()) < rows.size()) {
                    current.set(i);
                    InboxRow row = rows.get(i);
                    JdbiRecordSink sink = records.sinkInTransaction(h, conn.businessId(), row.connectorId());
                    try (ApplyScope ignored = ApplyScope.applying(row, tracing);
                            WebhookConnectors.HandlerRef ref = connectors.handler(conn)) {
                        ref.handler().apply(row.event(), sink);
                    }
                    done.add(new WebhookStore.Done(row.id(), row.attempts(), sink.everythingStale() ? STALE : null));
                }
                boolean[] stillHeld = WebhookStore.finishAll(h, done, clock.instant());
                if (!state.compareAndSet(GROUP_RUNNING, GROUP_COMMITTING)) {
                    throw new GroupAbandonedException();
                }
                for (int k = 0; k < stillHeld.length; k++) {
                    if (stillHeld[k]) {
                        hubMetrics.applied(conn.connectorId(), done.get(k).note() == null
                                ? WebhookMetrics.DONE : WebhookMetrics.STALE);
                    } else {
                        LOG.warn("Webhook event {} was applied after its lease ran out", done.get(k).id());
                    }
                }
                return done.size();
            }), applies);
        } catch (RuntimeException e) {
            letGo(connectionId);
            throw e;
        }
        task.whenComplete((ok, failure) -> letGo(connectionId));
        long deadline = settings.applyTimeout().toMillis();
        long patience = Math.min(deadline, HAND_BACK_AFTER.toMillis());
        int handedBackFrom = claimed.size();
        try {
            int finished;
            try {
                finished = task.get(patience, TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                // Rows the group has not started go to free workers; the group will not start them.
                handedBackFrom = from + Math.min(cursor.getAndSet(rows.size()), rows.size());
                handBack(claimed, handedBackFrom);
                finished = task.get(deadline - patience, TimeUnit.MILLISECONDS);
            }
            return new Grouped(finished, 0, handedBackFrom);
        } catch (ExecutionException e) {
            // Rolled back: every row the group took goes again, one by one.
            return new Grouped(0, Math.min(handedBackFrom, from + rows.size()) - from, handedBackFrom);
        } catch (InterruptedException e) {
            // Stopping: the caller hands back the rows from `from` on; a group still running rolls back.
            Thread.currentThread().interrupt();
            state.compareAndSet(GROUP_RUNNING, GROUP_ABANDONED);
            return new Grouped(0, 0, handedBackFrom);
        } catch (TimeoutException e) {
            if (!state.compareAndSet(GROUP_RUNNING, GROUP_ABANDONED)) {
                // It is committing right now: its outcome stands.
                return new Grouped(task.join(), 0, handedBackFrom);
            }
            int slow = current.get();
            Instant now = clock.instant();
            rows.subList(0, slow).forEach(r -> store.release(r.id(), r.attempts(), now));
            timedOut.inc();
            failed(rows.get(slow), new ApplyTimeoutException(settings.applyTimeout()));
            return new Grouped(slow + 1, 0, handedBackFrom);
        }
    }

    /** @return whether the rest of the batch was handed back while this event's apply was slow */
    private boolean process(InboxRow row, Map<UUID, Optional<ConnectionRow>> connections, Runnable handBackRest) {
        if (row.attempts() > settings.maxAttempts()) {
            // Claimed again after its leases ran out too often: whatever happens to it kills its worker.
            store.finish(row.id(), row.attempts(), InboxStatus.PARKED,
                    "abandoned: no worker finished it in " + settings.maxAttempts() + " attempts", clock.instant());
            hubMetrics.applied(row.connectorId(), WebhookMetrics.PARKED);
            return false;
        }
        Optional<ConnectionRow> connection = resolveConnection(row, connections);
        if (connection.isEmpty() || !connection.get().enabled()) {
            store.finish(row.id(), row.attempts(), InboxStatus.UNROUTED, connection.isEmpty()
                    ? "no enabled connection for this event" : "connection is disabled", clock.instant());
            hubMetrics.applied(row.connectorId(), WebhookMetrics.UNROUTED);
            return false;
        }
        if (!tryHold(connection.get().id())) {
            // Its connection is at its cap (another worker, or an apply past its deadline): not tried now,
            // so the attempt does not count.
            store.unclaim(row.id(), row.attempts(), clock.instant());
            return false;
        }
        AtomicBoolean handedBack = new AtomicBoolean();
        boolean stale;
        try {
            stale = applyWithDeadline(row, connection.get(), () -> {
                handBackRest.run();
                handedBack.set(true);
            });
        } catch (InterruptedException e) {
            // Stopping: hand the event back now rather than after its lease; the apply may still finish.
            Thread.currentThread().interrupt();
            store.release(row.id(), row.attempts(), clock.instant());
            return handedBack.get();
        } catch (ApplyTimeoutException e) {
            timedOut.inc();
            failed(row, e);
            return handedBack.get();
        } catch (Throwable e) {
            // Throwable: a connector's Error (StackOverflowError, LinkageError) is this event's failure,
            // not the worker's; the worker parks the event and goes on with the next one.
            failed(row, e);
            return handedBack.get();
        }
        // Not an error, but worth seeing: the event was older than what is stored and changed nothing.
        if (store.finish(row.id(), row.attempts(), InboxStatus.DONE, stale ? STALE : null, clock.instant())) {
            hubMetrics.applied(row.connectorId(), stale ? WebhookMetrics.STALE : WebhookMetrics.DONE);
        } else {
            LOG.warn("Webhook event {} was applied after its lease ran out", row.id());
        }
        return handedBack.get();
    }

    /**
     * Runs the connector's apply on the apply pool; the connection's slot (taken by the caller) is given
     * back when the call really ends.
     * An apply still running after {@link #HAND_BACK_AFTER} hands the rest of the batch back, so other
     * tenants' events in it go to free workers instead of waiting behind it; one still running after
     * {@code applyTimeout} is given up on (its event retried, its outcome ignored: applying twice is harmless).
     *
     * @return whether everything the event wrote was ignored as stale
     */
    private boolean applyWithDeadline(InboxRow row, ConnectionRow conn, Runnable onSlow) throws Throwable {
        JdbiRecordSink sink = records.sink(conn.businessId(), row.connectorId());
        CompletableFuture<Void> apply;
        try {
            apply = CompletableFuture.runAsync(() -> {
                try (ApplyScope ignored = ApplyScope.applying(row, tracing);
                        WebhookConnectors.HandlerRef ref = connectors.handler(conn)) {
                    ref.handler().apply(row.event(), sink);
                }
            }, applies);
        } catch (RuntimeException e) {
            letGo(conn.id());
            throw e;
        }
        apply.whenComplete((ok, failure) -> letGo(conn.id()));
        long deadline = settings.applyTimeout().toMillis();
        long patience = Math.min(deadline, HAND_BACK_AFTER.toMillis());
        try {
            try {
                apply.get(patience, TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                onSlow.run();
                apply.get(deadline - patience, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
        } catch (TimeoutException e) {
            throw new ApplyTimeoutException(settings.applyTimeout());
        }
        return sink.everythingStale();
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
        Optional<MissingKeyException> missingKey = missingKey(e);
        // A ConnectorException's message is safe to store by contract, and so are a missing key's id and the
        // deadline; any other message might quote a secret-bearing URL or header, so only its type is kept.
        String error = missingKey.isPresent() ? missingKey.get().getMessage()
                : e instanceof ApplyTimeoutException ? e.getMessage()
                : e instanceof ConnectorException ? e.toString()
                : "unexpected " + e.getClass().getName();
        if (!(e instanceof ConnectorException || e instanceof ApplyTimeoutException)) {
            unexpected.inc();
        }
        // An Error is parked at once: the same payload through the same plugin fails the same way again.
        // So is a secret sealed with a key this hub does not have: retrying cannot bring the key.
        boolean hopeless = e instanceof Error || missingKey.isPresent() || e instanceof ConnectorException ce
                && (ce.code() == ErrorCode.INVALID_INPUT || ce.code() == ErrorCode.UNSUPPORTED);
        Instant now = clock.instant();
        if (hopeless || row.attempts() >= settings.maxAttempts()) {
            LOG.warn("Webhook event {} of {} parked after {} attempts: {}", row.id(), row.connectorId(),
                    row.attempts(), missingKey.isPresent() ? error : e.getClass().getSimpleName());
            store.finish(row.id(), row.attempts(), InboxStatus.PARKED, error, now);
            hubMetrics.applied(row.connectorId(), WebhookMetrics.PARKED);
        } else {
            store.retryLater(row.id(), row.attempts(), now.plus(backoff(row.attempts())), error);
            hubMetrics.applied(row.connectorId(), WebhookMetrics.RETRY);
        }
    }

    /** The missing key behind a failure, also when a connector wrapped it. */
    private static Optional<MissingKeyException> missingKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingKeyException m) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
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
