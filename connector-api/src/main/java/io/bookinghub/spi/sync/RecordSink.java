package io.bookinghub.spi.sync;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.StaffMember;

/**
 * Writes provider records into the hub's shared model for one business connection. Every upsert is
 * idempotent and keyed by the record's {@link ExternalRef}; a record older than the stored one
 * (by provider version or updated-at) never overwrites it. Each call is its own transaction, except in a sync
 * run, whose sink writes upserts in batches and answers {@link UpsertOutcome#PENDING} (see there).
 */
public interface RecordSink {
    UpsertOutcome upsert(Business business);

    UpsertOutcome upsert(Location location);

    UpsertOutcome upsert(StaffMember staffMember);

    UpsertOutcome upsert(Service service);

    UpsertOutcome upsert(Client client);

    UpsertOutcome upsert(Appointment appointment);

    UpsertOutcome upsert(AvailabilitySlot slot);

    /** Soft-deletes a record the provider reports as deleted; returns false if it was not stored. */
    boolean delete(RecordKind kind, String externalId);
}
