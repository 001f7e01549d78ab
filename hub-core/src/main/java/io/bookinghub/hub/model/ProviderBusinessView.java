package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** A provider's view of the business (one per connector account). */
public record ProviderBusinessView(UUID id, String connectorId, String externalId, String name, String timeZone,
        String currency, boolean deleted, Instant deletedAt, Instant createdAt, Instant updatedAt,
        @JsonRawValue String raw) {
    public ProviderBusinessView {
        requireNonNull(id, "id is null");
        requireNonNull(externalId, "externalId is null");
    }
}
