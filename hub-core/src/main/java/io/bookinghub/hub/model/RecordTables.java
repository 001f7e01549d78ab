package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.RecordKind;

/** The table holding each record kind (names are constants, never user input). */
final class RecordTables {
    private RecordTables() {
    }

    static String of(RecordKind kind) {
        return switch (requireNonNull(kind, "kind is null")) {
            case BUSINESS -> "provider_businesses";
            case LOCATION -> "locations";
            case STAFF_MEMBER -> "staff_members";
            case SERVICE -> "services";
            case CLIENT -> "clients";
            case APPOINTMENT -> "appointments";
            case AVAILABILITY_SLOT -> "availability_slots";
        };
    }
}
