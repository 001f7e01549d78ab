package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;

/** A provider's view of the business (name, zone), linked to the hub business it was synced for. */
public record Business(ExternalRef ref, String name, ZoneId timeZone, String currency, String rawJson) {
    public Business {
        requireNonNull(ref, "ref is null");
        requireNonNull(name, "name is null");
        requireNonNull(timeZone, "timeZone is null");
    }
}
