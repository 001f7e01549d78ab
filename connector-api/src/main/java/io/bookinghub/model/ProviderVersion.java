package io.bookinghub.model;

import java.time.Instant;

/**
 * How new a provider record is, used to refuse stale writes: a record with a lower version, or
 * an earlier updated-at when versions are absent, never overwrites a newer stored one.
 * Either part may be null; both null means "unknown" and the write is always applied.
 */
public record ProviderVersion(Long version, Instant updatedAt) {
    public static final ProviderVersion UNKNOWN = new ProviderVersion(null, null);

    public static ProviderVersion at(Instant updatedAt) {
        return new ProviderVersion(null, updatedAt);
    }
}
