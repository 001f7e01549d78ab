package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

/** A customer of the business. */
public record Client(ExternalRef ref, String name, String email, String phone, ProviderVersion version,
        String rawJson) {
    public Client {
        requireNonNull(ref, "ref is null");
        requireNonNull(name, "name is null");
        version = version == null ? ProviderVersion.UNKNOWN : version;
    }
}
