package io.bookinghub.connectors.booksy;

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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Sync sink keeping records by kind and external id, like the hub's idempotent upserts. */
final class InMemorySyncSink implements SyncSink {
    record Skip(RecordKind kind, String externalId, String reason) {
    }

    record Progress(String stage, long done, long total) {
    }

    final Map<RecordKind, Map<String, Object>> records = new EnumMap<>(RecordKind.class);
    final List<Skip> skipped = new ArrayList<>();
    final List<Progress> progress = new ArrayList<>();
    final Map<String, String> cursors = new LinkedHashMap<>();
    BooleanSupplier cancelled = () -> false;

    private UpsertOutcome put(RecordKind kind, String id, Object record) {
        Object old = records.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(id, record);
        return old == null ? UpsertOutcome.CREATED : old.equals(record) ? UpsertOutcome.UNCHANGED : UpsertOutcome.UPDATED;
    }

    Map<String, Object> of(RecordKind kind) {
        return records.getOrDefault(kind, Map.of());
    }

    @Override
    public UpsertOutcome upsert(Business b) {
        return put(RecordKind.BUSINESS, b.ref().externalId(), b);
    }

    @Override
    public UpsertOutcome upsert(Location l) {
        return put(RecordKind.LOCATION, l.ref().externalId(), l);
    }

    @Override
    public UpsertOutcome upsert(StaffMember s) {
        return put(RecordKind.STAFF_MEMBER, s.ref().externalId(), s);
    }

    @Override
    public UpsertOutcome upsert(Service s) {
        return put(RecordKind.SERVICE, s.ref().externalId(), s);
    }

    @Override
    public UpsertOutcome upsert(Client c) {
        return put(RecordKind.CLIENT, c.ref().externalId(), c);
    }

    @Override
    public UpsertOutcome upsert(Appointment a) {
        return put(RecordKind.APPOINTMENT, a.ref().externalId(), a);
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot s) {
        return put(RecordKind.AVAILABILITY_SLOT, s.ref().externalId(), s);
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        return records.getOrDefault(kind, new LinkedHashMap<>()).remove(externalId) != null;
    }

    @Override
    public void skipped(RecordKind kind, String externalId, String reason) {
        skipped.add(new Skip(kind, externalId, reason));
    }

    @Override
    public void progress(String stage, long done, long total) {
        progress.add(new Progress(stage, done, total));
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
        return cancelled.getAsBoolean();
    }
}
