package io.bookinghub.hub.webhooks;

import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of intake writes: a writer thread takes whatever deliveries are waiting (up to a batch size),
 * writes them in a single transaction (one JDBC batch per table for the whole group) and completes each
 * delivery's future only after that commit, so a provider is acknowledged only for what is durably stored,
 * while a burst costs one commit per batch instead of one per request.
 *
 * <p>Several writer threads: with fsync on, a commit waits for the disk, and deliveries that arrive meanwhile
 * should not wait for that flush before theirs can start; PostgreSQL flushes concurrent commits together.
 *
 * <p>If a batch fails, its deliveries are retried one transaction each, so a delivery the database
 * refuses cannot take the others down with it; when the database itself is down every one fails and
 * its request answers 503.
 */
final class InboxWriter implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWriter.class);

    /** A delivery's writes could not be queued or committed; its request must answer 503. */
    static final class NotStoredException extends RuntimeException {
        NotStoredException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private record Pending(List<WebhookStore.Write> writes, CompletableFuture<List<WebhookStore.Written>> done) {
    }

    private final Jdbi jdbi;
    private final ThrottledLog notStored;
    private final WebhookStore store;
    private final int batchSize;
    private final int threadCount;
    private final BlockingQueue<Pending> queue;
    private volatile boolean running;
    private volatile boolean forceSynchronousCommit;
    private final List<Thread> threads = new ArrayList<>();

    InboxWriter(Jdbi jdbi, Clock clock, WebhookStore store, int batchSize, int queueCapacity, int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threadCount must be positive");
        }
        this.jdbi = jdbi;
        this.notStored = new ThrottledLog(LOG, clock, ThrottledLog.DEFAULT_INTERVAL);
        this.store = store;
        this.batchSize = batchSize;
        this.threadCount = threadCount;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Queues writes; the future completes after their commit, or fails with {@link NotStoredException}. */
    CompletableFuture<List<WebhookStore.Written>> submit(List<WebhookStore.Write> writes) {
        CompletableFuture<List<WebhookStore.Written>> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new NotStoredException("webhook writer is not running", null));
        } else if (!queue.offer(new Pending(List.copyOf(writes), done))) {
            done.completeExceptionally(new NotStoredException("webhook writer queue is full", null));
        }
        return done;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        forceSynchronousCommit = synchronousCommitOff();
        running = true;
        for (int i = 1; i <= threadCount; i++) {
            Thread thread = new Thread(this::loop, "webhook-inbox-writer-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        threads.clear();
        // Whatever is still queued was never committed: fail it so that its request answers 503.
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new NotStoredException("hub is stopping", null)));
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Never let the writer die: every delivery already has its future completed by writeBatch.
                LOG.error("Webhook writer loop failed", e);
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        try {
            List<WebhookStore.Write> all = new ArrayList<>();
            batch.forEach(p -> all.addAll(p.writes()));
            List<WebhookStore.Written> results = jdbi.inTransaction(h -> {
                requireFlush(h);
                return store.write(h, all);
            });
            int at = 0;
            for (Pending p : batch) {
                int size = p.writes().size();
                p.done().complete(List.copyOf(results.subList(at, at + size)));
                at += size;
            }
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1) {
                fail(batch.get(0), batchFailure);
                return;
            }
            for (Pending p : batch) {
                try {
                    p.done().complete(jdbi.inTransaction(h -> {
                        requireFlush(h);
                        return store.write(h, p.writes());
                    }));
                } catch (RuntimeException e) {
                    fail(p, e);
                }
            }
        }
    }

    /**
     * A server (or role, or database) configured with {@code synchronous_commit = off} reports a commit
     * before its WAL is flushed, so a crash could lose an event the provider was told is stored.
     */
    private boolean synchronousCommitOff() {
        try {
            boolean off = jdbi.withHandle(h -> h.createQuery("SELECT current_setting('synchronous_commit')")
                    .mapTo(String.class).one()).equals("off");
            if (off) {
                LOG.warn("synchronous_commit is off on the database; webhook intake turns it on for its own "
                        + "transactions so that an acknowledged event survives a crash");
            }
            return off;
        } catch (RuntimeException e) {
            // The database may be down at start; assume the worst and insist on the flush.
            return true;
        }
    }

    boolean forcesSynchronousCommit() {
        return forceSynchronousCommit;
    }

    private void requireFlush(Handle h) {
        if (forceSynchronousCommit) {
            h.execute("SET LOCAL synchronous_commit TO on");
        }
    }

    private void fail(Pending p, RuntimeException e) {
        // Statement exceptions quote their bound arguments (the payload): log only what failed. Throttled:
        // while the database is down every delivery fails.
        notStored.warn("Webhook delivery not stored: {}", summary(e));
        p.done().completeExceptionally(new NotStoredException("webhook delivery not stored", e));
    }

    static String summary(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String state = root instanceof SQLException sql ? " (SQLState " + sql.getSQLState() + ")" : "";
        return e.getClass().getSimpleName() + " caused by " + root.getClass().getSimpleName() + state;
    }
}
