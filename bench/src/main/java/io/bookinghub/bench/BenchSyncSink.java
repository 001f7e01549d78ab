package io.bookinghub.bench;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.sync.RecordSink;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One run's sink: forwards upserts to a {@link RecordSink} (in-memory or {@code JdbiRecordSink}) and counts
 * them per kind. Counters are fixed-size, so the sink adds no heap that grows with the record count.
 */
final class BenchSyncSink implements SyncSink {
    private final RecordSink delegate;
    private final Map<RecordKind, long[]> upserts = new EnumMap<>(RecordKind.class);
    private final Map<String, String> cursors = new HashMap<>();
    private long skipped;

    BenchSyncSink(RecordSink delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    private UpsertOutcome count(RecordKind kind, UpsertOutcome outcome) {
        upserts.computeIfAbsent(kind, k -> new long[1])[0]++;
        return outcome;
    }

    long upserts(RecordKind kind) {
        long[] n = upserts.get(kind);
        return n == null ? 0 : n[0];
    }

    long totalUpserts() {
        return upserts.values().stream().mapToLong(n -> n[0]).sum();
    }

    long skipped() {
        return skipped;
    }

    @Override
    public UpsertOutcome upsert(Business business) {
        return count(RecordKind.BUSINESS, delegate.upsert(business));
    }

    @Override
    public UpsertOutcome upsert(Location location) {
        return count(RecordKind.LOCATION, delegate.upsert(location));
    }

    @Override
    public UpsertOutcome upsert(StaffMember staffMember) {
        return count(RecordKind.STAFF_MEMBER, delegate.upsert(staffMember));
    }

    @Override
    public UpsertOutcome upsert(Service service) {
        return count(RecordKind.SERVICE, delegate.upsert(service));
    }

    @Override
    public UpsertOutcome upsert(Client client) {
        return count(RecordKind.CLIENT, delegate.upsert(client));
    }

    @Override
    public UpsertOutcome upsert(Appointment appointment) {
        return count(RecordKind.APPOINTMENT, delegate.upsert(appointment));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot slot) {
        return count(RecordKind.AVAILABILITY_SLOT, delegate.upsert(slot));
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        return delegate.delete(kind, externalId);
    }

    @Override
    public void skipped(RecordKind kind, String externalId, String reason) {
        skipped++;
    }

    @Override
    public void progress(String stage, long done, long total) {
        // Progress output would perturb the wall time being measured.
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
}
