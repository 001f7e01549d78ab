package io.bookinghub.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the live set during a sync: every {@code interval} it forces a full collection and reads the heap in
 * use. The after-GC figure of {@link HeapProbe} also counts objects a young collection promoted and that died in
 * the old generation since (G1 reclaims those only in a later mixed or full collection), which grows with run
 * length when pages wait a while before they are written (as prefetched pages do); this one counts only what is
 * reachable. The forced collections cost time, so the wall time of a run with it is not a speed figure.
 */
final class LiveHeapSampler implements AutoCloseable {
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;

    private LiveHeapSampler(Duration interval) {
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                long live = HeapProbe.liveHeap();
                max.accumulateAndGet(live, Math::max);
                samples.incrementAndGet();
            }
        }, "live-heap-sampler");
        thread.setDaemon(true);
    }

    static LiveHeapSampler start(Duration interval) {
        LiveHeapSampler sampler = new LiveHeapSampler(interval);
        sampler.thread.start();
        return sampler;
    }

    /** The largest live set seen, in bytes (0 before the first sample). */
    long maxLive() {
        return max.get();
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
