package io.bookinghub.hub.sync;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** An in-process connector whose sync is whatever the test says; counts its invocations. */
final class TestConnector implements BookingConnector {
    final AtomicInteger syncs = new AtomicInteger();
    private final ConnectorDescriptor descriptor;
    volatile BiFunction<SyncRequest, SyncSink, SyncResult> behaviour = (r, s) -> SyncResult.completed();

    TestConnector(String id, Capability... capabilities) {
        this.descriptor = new ConnectorDescriptor(id, "Test " + id, "1.0.0", "in-process test connector",
                Set.of(capabilities), List.of());
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public SyncResult sync(SyncRequest request, SyncSink sink) {
        syncs.incrementAndGet();
        return behaviour.apply(request, sink);
    }
}
