package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.Money;

/** One variant of a {@link ServiceView}; price may be null. */
public record ServiceVariantView(String externalId, String name, long durationSeconds, Money price) {
    public ServiceVariantView {
        requireNonNull(externalId, "externalId is null");
    }
}
