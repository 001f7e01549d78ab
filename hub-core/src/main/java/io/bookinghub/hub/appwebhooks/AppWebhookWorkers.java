package io.bookinghub.hub.appwebhooks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookinghub.hub.crypto.MissingKeyException;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part of app webhooks: one fan-out loop (turning the change feed into deliveries; only one node at a
 * time does work, see {@link Fanout}) and {@code workerThreads} delivery loops that claim due deliveries, send
 * them and record each attempt. Any number of nodes run these against one database.
 *
 * <p>A failed delivery is retried with exponential backoff ({@code initialBackoff} doubling up to
 * {@code maxBackoff}) until it is {@code retryFor} old; then it is marked failed and its endpoint disabled. A 410
 * disables the endpoint at once. Either way the endpoint's other pending deliveries wait (they are not dropped) and
 * the disabling is announced as a {@code webhook_endpoint.disabled} event to the key's other endpoints that
 * subscribe to it, besides showing on the endpoint and in the log.
 */
public final class AppWebhookWorkers implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(AppWebhookWorkers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final AppWebhooksConfig config;
    private final EndpointStore endpoints;
    private final DeliveryStore deliveries;
    private final Fanout fanout;
    private final Sender sender;
    private final String node;
    private ExecutorService executor;
    private volatile boolean running;

    AppWebhookWorkers(Jdbi jdbi, Clock clock, AppWebhooksConfig config, EndpointStore endpoints,
            DeliveryStore deliveries, Fanout fanout, Sender sender, String node) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.config = requireNonNull(config, "config is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.fanout = requireNonNull(fanout, "fanout is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.node = requireNonNull(node, "node is null");
    }

    @Override
    public synchronized void start() {
        running = true;
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(1 + config.getWorkerThreads(), r -> {
            Thread t = new Thread(r, "app-webhooks-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        executor.execute(() -> loop("fan-out", () -> fanOut() >= config.getFanoutBatchSize()));
        for (int i = 0; i < config.getWorkerThreads(); i++) {
            executor.execute(() -> loop("delivery", () -> deliverDue() > 0));
        }
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
        int released = deliveries.release(node, clock.instant());
        if (released > 0) {
            LOG.info("Handed back {} claimed app webhook deliveries", released);
        }
    }

    private interface Step {
        /** True when more work is waiting (loop again at once). */
        boolean run();
    }

    private void loop(String what, Step step) {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (!step.run()) {
                    Thread.sleep(config.getPollInterval().toMilliseconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("App webhook {} step failed; retrying in {}", what, ERROR_PAUSE, e);
                try {
                    Thread.sleep(ERROR_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One fan-out step (see {@link Fanout#step}). */
    int fanOut() {
        return fanout.step();
    }

    /** Claims due deliveries, sends each and records the outcome; returns how many it claimed. */
    int deliverDue() {
        Instant now = clock.instant();
        List<DeliveryStore.Claimed> claimed = deliveries.claim(now,
                now.plus(config.getLease().toJavaDuration()), config.getClaimBatchSize(), node);
        for (DeliveryStore.Claimed d : claimed) {
            deliver(d);
        }
        return claimed.size();
    }

    private void deliver(DeliveryStore.Claimed d) {
        Optional<Endpoint> found = endpoints.find(d.endpointId());
        if (found.isEmpty()) {
            return; // deleted meanwhile, and its deliveries with it
        }
        Endpoint e = found.get();
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Sender.Result result;
        try {
            result = sender.send(e.url(), endpoints.secrets(e, started), d.messageId(), d.payload(), started);
        } catch (MissingKeyException missing) {
            result = new Sender.Result(Sender.Verdict.FAILED, null, missing.getMessage());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Sender.Result outcome = result;
        jdbi.useTransaction(h -> record(h, e, d, outcome, started, millis));
    }

    private void record(Handle h, Endpoint e, DeliveryStore.Claimed d, Sender.Result r, Instant attemptedAt,
            long millis) {
        Instant now = clock.instant();
        switch (r.verdict()) {
            case DELIVERED -> DeliveryStore.finish(h, d, "delivered", now, r.statusCode(), null, attemptedAt, millis, now);
            case GONE -> {
                if (DeliveryStore.finish(h, d, "pending", now, r.statusCode(), r.error(), attemptedAt, millis, now)) {
                    disableAndAnnounce(h, e, "the receiver answered 410 Gone", now);
                }
            }
            case FAILED -> {
                Duration retryFor = config.getRetryFor().toJavaDuration();
                if (!now.isBefore(d.createdAt().plus(retryFor))) {
                    if (DeliveryStore.finish(h, d, "failed", now, r.statusCode(), r.error(), attemptedAt, millis, now)) {
                        disableAndAnnounce(h, e, "a delivery failed for " + retryFor + " (last: " + r.error() + ")", now);
                    }
                } else {
                    DeliveryStore.finish(h, d, "pending", now.plus(backoff(d.attempts())), r.statusCode(), r.error(),
                            attemptedAt, millis, now);
                }
            }
            default -> throw new IllegalStateException("unknown verdict " + r.verdict());
        }
    }

    /** {@code initialBackoff * 2^(attempts-1)}, at most {@code maxBackoff}. */
    Duration backoff(int attempts) {
        Duration initial = config.getInitialBackoff().toJavaDuration();
        Duration max = config.getMaxBackoff().toJavaDuration();
        int doublings = Math.max(0, Math.min(attempts - 1, 40));
        Duration wait = initial.multipliedBy(1L << Math.min(doublings, 30));
        return wait.compareTo(max) > 0 || doublings > 30 ? max : wait;
    }

    /**
     * Disables the endpoint (once, whichever node gets here first) and queues a {@code webhook_endpoint.disabled}
     * event to the same key's other endpoints that subscribe to it.
     */
    private void disableAndAnnounce(Handle h, Endpoint e, String reason, Instant now) {
        if (!endpoints.disable(h, e.id(), reason, now)) {
            return;
        }
        LOG.warn("App webhook endpoint {} disabled: {}", e.id(), reason);
        ObjectNode root = JSON.createObjectNode();
        root.put("type", EventTypes.ENDPOINT_DISABLED);
        root.put("timestamp", now.toString());
        ObjectNode data = root.putObject("data");
        data.put("endpointId", e.id().toString());
        data.put("reason", reason);
        data.put("disabledAt", now.toString());
        String payload = root.toString();
        PreparedBatch batch = DeliveryStore.inserts(h);
        for (Endpoint other : endpoints.receiving(h)) {
            if (other.ownerKeyId().equals(e.ownerKeyId()) && other.eventTypes().contains(EventTypes.ENDPOINT_DISABLED)) {
                batch.bind("endpoint", other.id()).bind("message", "msg_disabled_" + e.id() + "_" + now.toEpochMilli())
                        .bind("type", EventTypes.ENDPOINT_DISABLED).bind("key", "endpoint:" + e.id())
                        .bind("payload", payload).bind("now", now).add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }
}
