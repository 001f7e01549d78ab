package io.bookinghub.hub.businesses;

import java.time.Instant;
import java.util.UUID;

/** A hub tenant: a business with its IANA time zone. */
public record BusinessRow(UUID id, String name, String timeZone, Instant createdAt, Instant updatedAt) {
}
