package io.bookinghub.bench;

import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;

/**
 * The in-memory sink: accepts every record and keeps none, so whatever heap a sync needs beyond this is
 * the connector's (and the HTTP client's) own. Single-threaded use, like one sync run.
 */
final class CountingRecordSink implements RecordSink {
    // A cheap use of each record, so the JIT cannot treat the mapped object as dead and skip building it.
    private long checksum;

    private UpsertOutcome accept(Object record) {
        checksum += record.hashCode();
        return UpsertOutcome.CREATED;
    }

    long checksum() {
        return checksum;
    }

    @Override
    public UpsertOutcome upsert(Business business) {
        return accept(business);
    }

    @Override
    public UpsertOutcome upsert(Location location) {
        return accept(location);
    }

    @Override
    public UpsertOutcome upsert(StaffMember staffMember) {
        return accept(staffMember);
    }

    @Override
    public UpsertOutcome upsert(Service service) {
        return accept(service);
    }

    @Override
    public UpsertOutcome upsert(Client client) {
        return accept(client);
    }

    @Override
    public UpsertOutcome upsert(Appointment appointment) {
        return accept(appointment);
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot slot) {
        return accept(slot);
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        return false;
    }
}
