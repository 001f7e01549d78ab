package io.bookinghub.hub.sync;

import com.google.common.base.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves one second per read, so every throttled write and cancel check happens. */
final class SteppingTicker extends Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
        return nanos.addAndGet(1_000_000_000L);
    }
}
