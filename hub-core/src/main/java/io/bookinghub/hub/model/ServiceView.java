package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A service with its variants in the provider's order. */
public record ServiceView(UUID id, String connectorId, String externalId, String name, String category,
        String description, boolean active, List<ServiceVariantView> variants, Long providerVersion,
        Instant providerUpdatedAt, boolean deleted, Instant deletedAt, Instant createdAt, Instant updatedAt,
        @JsonRawValue String raw) {
    public ServiceView {
        requireNonNull(id, "id is null");
        requireNonNull(externalId, "externalId is null");
        variants = List.copyOf(requireNonNull(variants, "variants is null"));
    }
}
