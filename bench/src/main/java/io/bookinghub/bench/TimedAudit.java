package io.bookinghub.bench;

import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.testkit.CountingAudit;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts like the kit's {@link CountingAudit} and also sums each attempt's latency (send to parsed-enough
 * response, as the connector audits it): the time a sync spent waiting on the provider, sandbox rendering and
 * artificial latency included. With concurrent requests the sum can exceed the wall time.
 */
final class TimedAudit implements ConnectorAudit {
    private final CountingAudit counts = new CountingAudit();
    private final LongAdder latencyNanos = new LongAdder();

    @Override
    public void apiCall(ApiCall call) {
        counts.apiCall(call);
        latencyNanos.add(call.latency().toNanos());
    }

    @Override
    public void event(String type, String message) {
        counts.event(type, message);
    }

    long calls() {
        return counts.calls();
    }

    Duration httpTime() {
        return Duration.ofNanos(latencyNanos.sum());
    }
}
