package io.bookinghub.hub.webhooks;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes an event's writes on and remembers whether every one of them was ignored as stale, so an event that
 * changed nothing because the stored records are newer is shown as such rather than as a plain DONE.
 */
final class StaleTrackingSink implements RecordSink {
    private final RecordSink delegate;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger stale = new AtomicInteger();

    StaleTrackingSink(RecordSink delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** True when the event wrote something and all of it was older than what is stored. */
    boolean allStale() {
        return writes.get() > 0 && stale.get() == writes.get();
    }

    private UpsertOutcome count(UpsertOutcome outcome) {
        writes.incrementAndGet();
        if (outcome == UpsertOutcome.STALE) {
            stale.incrementAndGet();
        }
        return outcome;
    }

    @Override
    public UpsertOutcome upsert(Business business) {
        return count(delegate.upsert(business));
    }

    @Override
    public UpsertOutcome upsert(Location location) {
        return count(delegate.upsert(location));
    }

    @Override
    public UpsertOutcome upsert(StaffMember staffMember) {
        return count(delegate.upsert(staffMember));
    }

    @Override
    public UpsertOutcome upsert(Service service) {
        return count(delegate.upsert(service));
    }

    @Override
    public UpsertOutcome upsert(Client client) {
        return count(delegate.upsert(client));
    }

    @Override
    public UpsertOutcome upsert(Appointment appointment) {
        return count(delegate.upsert(appointment));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot slot) {
        return count(delegate.upsert(slot));
    }

    @Override
    public boolean delete(RecordKind kind, String externalId) {
        writes.incrementAndGet();
        return delegate.delete(kind, externalId);
    }
}
