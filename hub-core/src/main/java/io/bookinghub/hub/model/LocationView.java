package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A location of the business. */
public record LocationView(UUID id, String connectorId, String externalId, String name, String address,
        String timeZone, boolean deleted, Instant deletedAt, Instant createdAt, Instant updatedAt,
        @JsonRawValue String raw) {
    public LocationView {
        requireNonNull(id, "id is null");
        requireNonNull(externalId, "externalId is null");
    }
}
