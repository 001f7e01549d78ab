package io.bookinghub.toolkit;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches ahead, concurrently, what one consumer will {@link #take} in a known order: the pages of a provider's
 * list endpoints, read by a sync while it writes the pages before them. A sync that waits for one response at a
 * time waits for the provider's latency; with a few requests in flight it waits only for its rate limit.
 *
 * <p>Each fetch is {@link #submit submitted} with an ordering key; at most {@code window} fetched-but-not-taken
 * results exist at once (fetching or waiting to be taken), and free slots go to the pending fetch with the
 * smallest key, i.e. the one the consumer needs soonest. A fetch the consumer is waiting for starts at once even
 * when the window is full, so the consumer never waits on fetches it will only need later. Memory is therefore
 * bounded by {@code window + 1} results. A fetch may submit further fetches (page 1 learns how many pages follow).
 *
 * <p>The first failed fetch stops new fetches from starting; {@link #take} of that key throws its failure (so a
 * consumer that reads in order gets every result before the failure, then the failure). {@link #close} cancels
 * and interrupts whatever is still running. Rate limits stay with the fetches themselves: each one acquires its
 * permit like a sequential request would, so concurrency never exceeds the provider's budget.
 *
 * <p>Why in the toolkit: any connector over a paged REST API needs this, and it is easy to get subtly wrong
 * (order, bounded memory, a failure that must not be reported as a complete read, cancellation).
 *
 * @param <T> what a fetch returns, e.g. a parsed page
 */
public final class OrderedPrefetch<T> implements AutoCloseable {
    private final int window;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final PriorityQueue<Fetch<T>> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.key, b.key));
    private final Map<Long, Fetch<T>> byKey = new HashMap<>();
    private int held;
    private boolean failed;
    private boolean closed;

    /**
     * @param window     how many results may be fetching or fetched-and-not-taken at once (at least 1)
     * @param threadName prefix of the fetch threads' names (daemon threads, at most {@code window + 1})
     */
    public OrderedPrefetch(int window, String threadName) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        requireNonNull(threadName, "threadName is null");
        this.window = window;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers a fetch under {@code key} (unique; smaller keys are taken first). Thread-safe; a fetch may call it.
     *
     * @throws IllegalStateException when the key was submitted before
     */
    public void submit(long key, Callable<T> fetch) {
        requireNonNull(fetch, "fetch is null");
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (byKey.containsKey(key)) {
                throw new IllegalStateException("key " + key + " was submitted before");
            }
            Fetch<T> f = new Fetch<>(key, fetch);
            byKey.put(key, f);
            waiting.add(f);
            startWhatFits();
        }
    }

    /** Whether {@code key} was submitted (and not taken yet). */
    public boolean submitted(long key) {
        synchronized (lock) {
            return byKey.containsKey(key);
        }
    }

    /**
     * Waits for the result of {@code key}, starting its fetch now if it has not started, and frees its slot.
     *
     * @throws IllegalStateException when the key was never submitted (or was taken already)
     * @throws ExecutionException    with the fetch's failure as its cause
     * @throws InterruptedException  when the waiting thread is interrupted
     */
    public T take(long key) throws ExecutionException, InterruptedException {
        Fetch<T> f;
        synchronized (lock) {
            f = byKey.get(key);
            if (f == null) {
                throw new IllegalStateException("key " + key + " was not submitted");
            }
            if (f.running == null) {
                waiting.remove(f);
                start(f);
            }
        }
        try {
            return f.result.get();
        } finally {
            synchronized (lock) {
                if (byKey.remove(key) != null) {
                    held--;
                }
                startWhatFits();
            }
        }
    }

    private void startWhatFits() {
        while (!failed && !closed && held < window && !waiting.isEmpty()) {
            start(waiting.poll());
        }
    }

    private void start(Fetch<T> f) {
        held++;
        f.running = executor.submit(() -> {
            try {
                f.result.complete(f.fetch.call());
            } catch (Throwable e) {
                synchronized (lock) {
                    failed = true;
                }
                f.result.completeExceptionally(e);
            }
        });
    }

    /** Cancels what is pending and interrupts what is running; results not taken are dropped. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            waiting.clear();
            for (Fetch<T> f : byKey.values()) {
                f.result.completeExceptionally(new CancellationException("prefetch closed"));
            }
            byKey.clear();
        }
        executor.shutdownNow();
    }

    private static final class Fetch<T> {
        final long key;
        final Callable<T> fetch;
        final CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> running;

        Fetch(long key, Callable<T> fetch) {
            this.key = key;
            this.fetch = fetch;
        }
    }
}
