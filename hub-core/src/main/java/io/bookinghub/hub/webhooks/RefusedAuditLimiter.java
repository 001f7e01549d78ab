package io.bookinghub.hub.webhooks;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps how many refused requests per key and clock minute are written to the audit table, so a flood of
 * forged requests costs a counter increment rather than disk. Keys are existing connection ids, or the
 * installed connector's id when no connection is known (the caller checks), so the map stays small and
 * one tenant's refusals do not use up another's audit.
 */
final class RefusedAuditLimiter {
    private record Window(long minute, AtomicLong count) {
    }

    private final Clock clock;
    private final int perMinute;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    RefusedAuditLimiter(Clock clock, int perMinute) {
        this.clock = clock;
        this.perMinute = perMinute;
    }

    /** True if this refusal may be audited; otherwise it is only counted. */
    boolean tryAcquire(String key) {
        long minute = clock.millis() / 60_000;
        Window w = windows.compute(key, (k, old) -> old == null || old.minute() != minute
                ? new Window(minute, new AtomicLong()) : old);
        if (w.count().incrementAndGet() <= perMinute) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Refusals not audited since start. */
    long dropped() {
        return dropped.get();
    }
}
