package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The record sink of a sync run: upserts are collected and written {@link #flush() a batch at a time} through
 * {@link JdbiRecordSink#upsertAll}, one transaction (and one commit, i.e. one WAL flush) per batch instead of per
 * record. Each upsert answers {@link UpsertOutcome#PENDING}; the real outcomes go to the listener when the batch
 * is written. The run's sink flushes at every page boundary (progress, cursor, delete) and when the run ends; a
 * batch is also written as soon as it holds {@link #MAX_BATCH} records, so memory stays bounded whatever the
 * connector does.
 *
 * <p>Thread-safe: a connector may upsert from several threads.
 */
public final class BatchingRecordSink implements RecordSink {
    /** The largest batch: a page of the largest page size Booksy serves. */
    public static final int MAX_BATCH = 500;

    private final JdbiRecordSink records;
    private final Consumer<UpsertOutcome> written;
    private List<Object> pending = new ArrayList<>();

    /**
     * @param records the store's sink for the run
     * @param written called with the outcome of every record once it is written (on the flushing thread)
     */
    BatchingRecordSink(JdbiRecordSink records, Consumer<UpsertOutcome> written) {
        this.records = requireNonNull(records, "records is null");
        this.written = requireNonNull(written, "written is null");
    }

    @Override
    public UpsertOutcome upsert(Business business) {
        return add(requireNonNull(business, "business is null"));
    }

    @Override
    public UpsertOutcome upsert(Location location) {
        return add(requireNonNull(location, "location is null"));
    }

    @Override
    public UpsertOutcome upsert(StaffMember staffMember) {
        return add(requireNonNull(staffMember, "staffMember is null"));
    }

    @Override
    public UpsertOutcome upsert(Service service) {
        return add(requireNonNull(service, "service is null"));
    }

    @Override
    public UpsertOutcome upsert(Client client) {
        return add(requireNonNull(client, "client is null"));
    }

    @Override
    public UpsertOutcome upsert(Appointment appointment) {
        return add(requireNonNull(appointment, "appointment is null"));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot slot) {
        return add(requireNonNull(slot, "slot is null"));
    }

    /** Writes the batch first, so the delete applies after every upsert that came before it. */
    @Override
    public boolean delete(RecordKind kind, String externalId) {
        flush();
        return records.delete(kind, externalId);
    }

    private synchronized UpsertOutcome add(Object record) {
        pending.add(record);
        if (pending.size() >= MAX_BATCH) {
            flush();
        }
        return UpsertOutcome.PENDING;
    }

    /**
     * Writes the pending records in one transaction and reports their outcomes. The batch is taken first, so a
     * batch that failed is not written again by the next flush: the failure belongs to the run.
     */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Object> batch = pending;
        pending = new ArrayList<>();
        records.upsertAll(batch).forEach(written);
    }
}
