package io.bookinghub.testkit;

import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A sink that keeps nothing but counters (and the last progress report and skip reason), for volume tests
 * that must prove a connector streams: with this sink, memory use is the connector's alone. Every upsert
 * answers {@link UpsertOutcome#CREATED}. An optional inspector sees each record before it is dropped.
 */
public final class CountingSyncSink implements SyncSink {
    private final Map<RecordKind, AtomicLong> upserts = new EnumMap<>(RecordKind.class);
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong progressCalls = new AtomicLong();
    private final Map<String, String> cursors = new ConcurrentHashMap<>();
    private volatile String firstSkipReason;
    private volatile long lastProgressDone = -1;
    private final Consumer<Object> inspector;

    public CountingSyncSink() {
        this(record -> { });
    }

    /** @param inspector called with every upserted record (it must not keep them, or the point is lost) */
    public CountingSyncSink(Consumer<Object> inspector) {
        this.inspector = java.util.Objects.requireNonNull(inspector, "inspector is null");
        for (RecordKind kind : RecordKind.values()) {
            upserts.put(kind, new AtomicLong());
        }
    }

    private UpsertOutcome count(RecordKind kind, Object record) {
        inspector.accept(record);
        upserts.get(kind).incrementAndGet();
        return UpsertOutcome.CREATED;
    }

    @Override
    public UpsertOutcome upsert(Business b) {
        return count(RecordKind.BUSINESS, b);
    }

    @Override
    public UpsertOutcome upsert(Location l) {
        return count(RecordKind.LOCATION, l);
    }

    @Override
    public UpsertOutcome upsert(StaffMember s) {
        return count(RecordKind.STAFF_MEMBER, s);
    }

    @Override
    public UpsertOutcome upsert(Service s) {
        return count(RecordKind.SERVICE, s);
    }

    @Override
    public UpsertOutcome upsert(Client c) {
        return count(RecordKind.CLIENT, c);
    }

    @Override
    public UpsertOutcome upsert(Appointment a) {
        return count(RecordKind.APPOINTMENT, a);
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot s) {
        return count(RecordKind.AVAILABILITY_SLOT, s);
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        return false;
    }

    @Override
    public void skipped(RecordKind kind, String externalId, String reason) {
        if (skipped.getAndIncrement() == 0) {
            firstSkipReason = reason;
        }
    }

    @Override
    public void progress(String stage, long done, long total) {
        progressCalls.incrementAndGet();
        lastProgressDone = done;
    }

    @Override
    public Optional<String> cursor(String resource) {
        return Optional.ofNullable(cursors.get(resource));
    }

    @Override
    public void saveCursor(String resource, String cursor) {
        cursors.put(resource, cursor);
    }

    @Override
    public boolean cancelled() {
        return false;
    }

    public long upserts(RecordKind kind) {
        return upserts.get(kind).get();
    }

    public long skipped() {
        return skipped.get();
    }

    /** The reason of the first skip, or null. */
    public String firstSkipReason() {
        return firstSkipReason;
    }

    public long progressCalls() {
        return progressCalls.get();
    }

    /** {@code done} of the last progress report, or -1. */
    public long lastProgressDone() {
        return lastProgressDone;
    }
}
