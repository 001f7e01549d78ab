package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
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

    /**
     * A service; add at least one {@link Builder#variant variant}. Active unless
     * {@link Builder#active(boolean) active(false)}.
     */
    public static Builder builder(ExternalRef ref, String name) {
        return new Builder(ref, name);
    }

    /**
     * Named steps for {@link Service}, so nullable neighbours of the same type cannot be swapped unnoticed.
     * {@link #build()} calls the record's constructor, which is where every rule lives.
     */
    public static final class Builder {
        private final ExternalRef ref;
        private final String name;
        private String category;
        private String description;
        private final List<ServiceVariant> variants = new ArrayList<>();
        private boolean active = true;
        private ProviderVersion version;
        private String rawJson;

        private Builder(ExternalRef ref, String name) {
            this.ref = requireNonNull(ref, "ref is null");
            this.name = requireNonNull(name, "name is null");
        }

        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Adds one; call once per variant, in order. */
        public Builder variant(ServiceVariant variant) {
            this.variants.add(requireNonNull(variant, "variant is null"));
            return this;
        }

        /** Replaces every variant added so far. */
        public Builder variants(List<ServiceVariant> variants) {
            this.variants.clear();
            this.variants.addAll(variants);
            return this;
        }

        public Builder active(boolean active) {
            this.active = active;
            return this;
        }

        public Builder version(ProviderVersion version) {
            this.version = version;
            return this;
        }

        public Builder rawJson(String rawJson) {
            this.rawJson = rawJson;
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException as the record's constructor does */
        public Service build() {
            return new Service(ref, name, category, description, variants, active, version, rawJson);
        }
    }
}
