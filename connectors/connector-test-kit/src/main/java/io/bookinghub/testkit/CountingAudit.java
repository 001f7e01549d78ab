package io.bookinghub.testkit;

import io.bookinghub.spi.ConnectorAudit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts outbound attempts and events instead of storing them, so the audit trail itself never grows the heap
 * of a volume test or benchmark (use {@link RecordingAudit} to assert on what was audited). The count is the
 * connector's own view of "HTTP requests made"; it also works when the provider runs in another process and
 * its request counters are out of reach.
 */
public final class CountingAudit implements ConnectorAudit {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    @Override
    public void apiCall(ApiCall call) {
        calls.incrementAndGet();
        if (call.error() != null) {
            failedCalls.incrementAndGet();
        }
    }

    @Override
    public void event(String type, String message) {
        events.incrementAndGet();
    }

    public long calls() {
        return calls.get();
    }

    /** Attempts that ended in an error (no HTTP answer, or one the connector reported as failed). */
    public long failedCalls() {
        return failedCalls.get();
    }

    public long events() {
        return events.get();
    }
}
