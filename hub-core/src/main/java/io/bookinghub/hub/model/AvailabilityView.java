package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A bookable availability slot. */
public record AvailabilityView(UUID id, String connectorId, String externalId, String staffExternalId,
        String serviceExternalId, String locationExternalId, Instant start, Instant end, String timeZone,
        boolean deleted, Instant deletedAt, Instant createdAt, Instant updatedAt, @JsonRawValue String raw) {
    public AvailabilityView {
        requireNonNull(id, "id is null");
        requireNonNull(externalId, "externalId is null");
    }
}
