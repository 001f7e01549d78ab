package io.bookinghub.hub.bookings;

import static java.util.Objects.requireNonNull;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads that take the commands no request finished: those whose answer was lost or whose node died (SENT or
 * UNKNOWN, looked up first) and those a request could not send. Claims are leases on the shared table, taken with
 * SKIP LOCKED, so any number of nodes run these side by side and each command has one holder at a time.
 */
final class CommandWorkers implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(CommandWorkers.class);

    private final Clock clock;
    private final CommandStore store;
    private final CommandProcessor processor;
    private final BookingsConfig config;
    private final String nodeId;
    private volatile boolean running;
    private ExecutorService executor;

    CommandWorkers(Clock clock, CommandStore store, CommandProcessor processor, BookingsConfig config, String nodeId) {
        this.clock = requireNonNull(clock, "clock is null");
        this.store = requireNonNull(store, "store is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.config = requireNonNull(config, "config is null");
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
    }

    @Override
    public synchronized void start() {
        if (running || config.getWorkerThreads() == 0) {
            return;
        }
        running = true;
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(config.getWorkerThreads(), r -> {
            Thread t = new Thread(r, "booking-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < config.getWorkerThreads(); i++) {
            executor.execute(this::loop);
        }
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        executor.shutdown();
        // A command mid-call finishes (or its lease runs out and another node looks it up); none is resent blindly.
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private void loop() {
        while (running) {
            int processed;
            try {
                processed = runOnce();
            } catch (RuntimeException e) {
                // The database may be down: keep the thread and try again after the poll interval.
                LOG.warn("Booking worker round failed: {}", e.toString());
                processed = 0;
            }
            if (processed == 0) {
                try {
                    Thread.sleep(config.getPollInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Claims one batch of due commands and takes each one step.
     *
     * @return how many were claimed
     */
    int runOnce() {
        Instant now = clock.instant();
        String claim = nodeId + ":" + UUID.randomUUID();
        List<CommandRow> claimed = store.claim(now, now.plus(config.getLease()), config.getClaimBatchSize(), claim);
        for (int i = 0; i < claimed.size(); i++) {
            if (!running && i > 0) {
                // Stopping: hand the rest back at once rather than let them wait out the lease.
                claimed.subList(i, claimed.size()).forEach(r -> store.release(r.id(), claim, clock.instant()));
                break;
            }
            processor.process(claimed.get(i), claim);
        }
        return claimed.size();
    }
}
