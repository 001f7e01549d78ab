package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a record came from: the connector id and the provider's id for it. Unique per business and
 * record kind.
 */
public record ExternalRef(String connectorId, String externalId) {
    public ExternalRef {
        requireNonNull(connectorId, "connectorId is null");
        requireNonNull(externalId, "externalId is null");
        if (externalId.isBlank()) {
            throw new IllegalArgumentException("externalId is blank");
        }
        if (externalId.length() > 255) {
            throw new IllegalArgumentException("externalId is longer than 255 characters");
        }
    }
}
