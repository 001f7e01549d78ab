package io.bookinghub.hub.changes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * One create, update or soft delete of a shared-model record. Thin on purpose: it names the record, and the app
 * reads the record's current state from the model routes, so the feed never holds a second copy of client data
 * and an app that applies changes late still ends at the latest state.
 *
 * @param kind        {@code appointment}, {@code client}, {@code service}, {@code staff_member}, {@code location},
 *                    {@code availability_slot} or {@code business} (the provider's view of the business)
 * @param id          the record's hub id
 * @param operation   {@code created}, {@code updated} or {@code deleted}
 * @param changedAt   when the hub wrote it
 */
public record Change(@JsonIgnore FeedPosition position, @JsonIgnore UUID businessId, String kind, UUID id,
        String connectorId, String externalId, String operation, Instant changedAt) {
    public Change {
        requireNonNull(position, "position is null");
        requireNonNull(businessId, "businessId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(id, "id is null");
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(externalId, "externalId is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(changedAt, "changedAt is null");
    }

    /** The event type apps subscribe to, e.g. {@code appointment.updated}. */
    @JsonIgnore
    public String eventType() {
        return kind + "." + operation;
    }
}
