package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A staff member. */
public record StaffView(UUID id, String connectorId, String externalId, String name, String email, String phone,
        String locationExternalId, boolean active, boolean deleted, Instant deletedAt, Instant createdAt,
        Instant updatedAt, @JsonRawValue String raw) {
    public StaffView {
        requireNonNull(id, "id is null");
        requireNonNull(externalId, "externalId is null");
    }
}
