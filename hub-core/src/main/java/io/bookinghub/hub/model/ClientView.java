package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A client of the business. */
public record ClientView(UUID id, String connectorId, String externalId, String name, String email, String phone,
        Long providerVersion, Instant providerUpdatedAt, boolean deleted, Instant deletedAt, Instant createdAt,
        Instant updatedAt, @JsonRawValue String raw) {
    public ClientView {
        requireNonNull(id, "id is null");
        requireNonNull(externalId, "externalId is null");
    }
}
