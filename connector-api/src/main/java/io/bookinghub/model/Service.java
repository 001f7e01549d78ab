package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A bookable service with at least one variant. */
public record Service(ExternalRef ref, String name, String category, String description, List<ServiceVariant> variants,
        boolean active, ProviderVersion version, String rawJson) {
    public Service {
        requireNonNull(ref, "ref is null");
        requireNonNull(name, "name is null");
        variants = List.copyOf(requireNonNull(variants, "variants is null"));
        version = version == null ? ProviderVersion.UNKNOWN : version;
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("service " + ref.externalId() + " has no variants");
        }
        Set<String> ids = new HashSet<>();
        for (ServiceVariant v : variants) {
            if (!ids.add(v.externalId())) {
                throw new IllegalArgumentException("service " + ref.externalId() + " repeats variant " + v.externalId());
            }
        }
    }
}
