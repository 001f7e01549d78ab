package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

/** A person who performs services. */
public record StaffMember(ExternalRef ref, String name, String email, String phone, String locationExternalId,
        boolean active, String rawJson) {
    public StaffMember {
        requireNonNull(ref, "ref is null");
        requireNonNull(name, "name is null");
    }
}
