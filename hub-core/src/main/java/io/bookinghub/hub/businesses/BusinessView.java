package io.bookinghub.hub.businesses;

import java.time.Instant;
import java.util.UUID;

public record BusinessView(UUID id, String name, String timeZone, Instant createdAt, Instant updatedAt) {
    public static BusinessView of(BusinessRow row) {
        return new BusinessView(row.id(), row.name(), row.timeZone(), row.createdAt(), row.updatedAt());
    }
}
