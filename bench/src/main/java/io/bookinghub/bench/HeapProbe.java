package io.bookinghub.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Two views of a run's heap:
 *
 * <ul>
 *   <li>{@link #maxUsedAfterGc()}: the largest heap occupancy right after any collection during the run,
 *       i.e. what was still reachable. This is the number that tells whether a sync streams: it tracks
 *       retained data, not how far the collector let garbage pile up.</li>
 *   <li>{@link #sumOfPoolPeaks()}: the sum of each heap pool's peak usage since {@link #start()}. It
 *       includes garbage and depends on how large the collector grew eden (up to -Xmx), so it says more
 *       about GC sizing than about the code; reported because it is the classic "peak heap".</li>
 * </ul>
 */
final class HeapProbe implements NotificationListener, AutoCloseable {
    private final AtomicLong maxUsedAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    /** Collects, then resets pool peaks and starts listening. */
    static HeapProbe start() {
        settle();
        HeapProbe probe = new HeapProbe();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(probe, null, null);
                probe.emitters.add(emitter);
            }
        }
        return probe;
    }

    /** Heap in use after a full collection: the live set at this moment. */
    static long liveHeap() {
        settle();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void settle() {
        // Two rounds: the first may only finalize/enqueue what the second frees.
        System.gc();
        System.gc();
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        collections.incrementAndGet();
        maxUsedAfterGc.accumulateAndGet(used, Math::max);
    }

    private static boolean isHeapPool(String name) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    long maxUsedAfterGc() {
        return maxUsedAfterGc.get();
    }

    long collections() {
        return collections.get();
    }

    static long sumOfPoolPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException ignored) {
                // Already gone.
            }
        }
    }
}
