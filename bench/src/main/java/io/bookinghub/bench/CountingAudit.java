package io.bookinghub.bench;

import io.bookinghub.spi.ConnectorAudit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts outbound attempts instead of storing them, so the audit trail itself never grows the heap being
 * measured. The count is the connector's own view of "HTTP requests made"; it also works when the sandbox
 * runs in another process and its request counters are out of reach.
 */
final class CountingAudit implements ConnectorAudit {
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

    long calls() {
        return calls.get();
    }

    long failedCalls() {
        return failedCalls.get();
    }
}
