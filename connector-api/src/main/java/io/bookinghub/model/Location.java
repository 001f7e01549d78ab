package io.bookinghub.model;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;

/** A place where appointments happen. */
public record Location(ExternalRef ref, String name, String address, ZoneId timeZone, String rawJson) {
    public Location {
        requireNonNull(ref, "ref is null");
        requireNonNull(name, "name is null");
        requireNonNull(timeZone, "timeZone is null");
    }
}
