package io.bookinghub.bench;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.testkit.CountingSyncSink;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The bench's sync sink: counts through the kit's {@link CountingSyncSink}, and measures the time the sync spends
 * inside the record store (upserts, and the page flushes a batching store does on {@code progress} and
 * {@code saveCursor}, as the hub's run sink does), so a run's wall time splits into store, HTTP and the rest.
 */
final class TimedSyncSink implements SyncSink {
    private final CountingSyncSink counts;
    private final Runnable flush;
    private final LongAdder storeNanos = new LongAdder();

    /**
     * @param counts the counting sink, passing records on to the store
     * @param flush  writes what the store buffered (a no-op for a store that writes at once)
     */
    TimedSyncSink(CountingSyncSink counts, Runnable flush) {
        this.counts = requireNonNull(counts, "counts is null");
        this.flush = requireNonNull(flush, "flush is null");
    }

    CountingSyncSink counts() {
        return counts;
    }

    /** Time spent in the store so far. */
    Duration storeTime() {
        return Duration.ofNanos(storeNanos.sum());
    }

    /** Writes what is still buffered (the hub does this when the connector returns). */
    void finish() {
        timed(() -> {
            flush.run();
            return null;
        });
    }

    private <T> T timed(Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            storeNanos.add(System.nanoTime() - start);
        }
    }

    @Override
    public UpsertOutcome upsert(Business b) {
        return timed(() -> counts.upsert(b));
    }

    @Override
    public UpsertOutcome upsert(Location l) {
        return timed(() -> counts.upsert(l));
    }

    @Override
    public UpsertOutcome upsert(StaffMember s) {
        return timed(() -> counts.upsert(s));
    }

    @Override
    public UpsertOutcome upsert(Service s) {
        return timed(() -> counts.upsert(s));
    }

    @Override
    public UpsertOutcome upsert(Client c) {
        return timed(() -> counts.upsert(c));
    }

    @Override
    public UpsertOutcome upsert(Appointment a) {
        return timed(() -> counts.upsert(a));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot s) {
        return timed(() -> counts.upsert(s));
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        return timed(() -> counts.delete(kind, externalId));
    }

    @Override
    public void skipped(RecordKind kind, String externalId, String reason) {
        counts.skipped(kind, externalId, reason);
    }

    @Override
    public void progress(String stage, long done, long total) {
        finish();
        counts.progress(stage, done, total);
    }

    @Override
    public Optional<String> cursor(String resource) {
        return counts.cursor(resource);
    }

    @Override
    public void saveCursor(String resource, String cursor) {
        finish();
        counts.saveCursor(resource, cursor);
    }

    @Override
    public boolean cancelled() {
        return counts.cancelled();
    }
}
