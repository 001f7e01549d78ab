package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.fileimport.FileImportSink;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A sink that keeps nothing but counters (and the last progress report and skip reason), for volume tests
 * that must prove a connector streams: with this sink, memory use is the connector's alone. By default every
 * upsert answers {@link UpsertOutcome#CREATED} and is dropped; an optional inspector sees each record first.
 * It can instead pass records on to a real {@link RecordSink} (a benchmark's store, the hub's sink) and count
 * what went through, answering that sink's outcomes. As a {@link FileImportSink} it ignores import reports and
 * counts a skipped row issue as a skip.
 */
public final class CountingSyncSink implements FileImportSink {
    private final Map<RecordKind, AtomicLong> upserts = new EnumMap<>(RecordKind.class);
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong progressCalls = new AtomicLong();
    private final Map<String, String> cursors = new ConcurrentHashMap<>();
    private volatile String firstSkipReason;
    private volatile long lastProgressDone = -1;
    private final Consumer<Object> inspector;
    /** Null: records are dropped and every upsert answers CREATED. */
    private final RecordSink target;

    public CountingSyncSink() {
        this(record -> { });
    }

    /** @param inspector called with every upserted record (it must not keep them, or the point is lost) */
    public CountingSyncSink(Consumer<Object> inspector) {
        this(requireNonNull(inspector, "inspector is null"), null);
    }

    /** @param target receives every upsert and delete; its answers are this sink's */
    public CountingSyncSink(RecordSink target) {
        this(record -> { }, requireNonNull(target, "target is null"));
    }

    private CountingSyncSink(Consumer<Object> inspector, RecordSink target) {
        this.inspector = inspector;
        this.target = target;
        for (RecordKind kind : RecordKind.values()) {
            upserts.put(kind, new AtomicLong());
        }
    }

    private UpsertOutcome count(RecordKind kind, Object record, Function<RecordSink, UpsertOutcome> forward) {
        inspector.accept(record);
        // Counted once the target took it: an upsert that threw did not happen.
        UpsertOutcome outcome = target == null ? UpsertOutcome.CREATED : forward.apply(target);
        upserts.get(kind).incrementAndGet();
        return outcome;
    }

    @Override
    public UpsertOutcome upsert(Business b) {
        return count(RecordKind.BUSINESS, b, t -> t.upsert(b));
    }

    @Override
    public UpsertOutcome upsert(Location l) {
        return count(RecordKind.LOCATION, l, t -> t.upsert(l));
    }

    @Override
    public UpsertOutcome upsert(StaffMember s) {
        return count(RecordKind.STAFF_MEMBER, s, t -> t.upsert(s));
    }

    @Override
    public UpsertOutcome upsert(Service s) {
        return count(RecordKind.SERVICE, s, t -> t.upsert(s));
    }

    @Override
    public UpsertOutcome upsert(Client c) {
        return count(RecordKind.CLIENT, c, t -> t.upsert(c));
    }

    @Override
    public UpsertOutcome upsert(Appointment a) {
        return count(RecordKind.APPOINTMENT, a, t -> t.upsert(a));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot s) {
        return count(RecordKind.AVAILABILITY_SLOT, s, t -> t.upsert(s));
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        return target != null && target.delete(kind, externalId);
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

    /** Upserts of every kind. */
    public long totalUpserts() {
        return upserts.values().stream().mapToLong(AtomicLong::get).sum();
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
