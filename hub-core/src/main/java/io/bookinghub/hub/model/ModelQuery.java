package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A page request against the shared model of one business.
 *
 * @param businessId     the hub business (required)
 * @param connectorId    only records of this connector, or null for all
 * @param from           appointments / availability ending after this instant, or null (ignored by other kinds)
 * @param to             appointments / availability starting before this instant, or null (ignored by other kinds)
 * @param includeDeleted also return soft-deleted records
 * @param includeRaw     also return the provider's raw payload
 * @param limit          page size, 1..{@value #MAX_LIMIT}; larger values are capped
 * @param after          the sort key of the last row already served (the listing's order: an {@link Instant} or
 *                       text per column), empty for the first page
 */
public record ModelQuery(UUID businessId, String connectorId, Instant from, Instant to, boolean includeDeleted,
        boolean includeRaw, int limit, List<Object> after) {
    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 100;

    public ModelQuery {
        requireNonNull(businessId, "businessId is null");
        if (connectorId != null && connectorId.isBlank()) {
            connectorId = null;
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("'to' (" + to + ") must be after 'from' (" + from + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        // One row beyond the cap is allowed so a caller can tell whether another page exists.
        limit = Math.min(limit, MAX_LIMIT + 1);
        after = List.copyOf(after);
    }

    /** Every live record of the business, first {@value #DEFAULT_LIMIT}, without raw payloads. */
    public static ModelQuery forBusiness(UUID businessId) {
        return new ModelQuery(businessId, null, null, null, false, false, DEFAULT_LIMIT, List.of());
    }

    public ModelQuery withConnector(String connector) {
        return new ModelQuery(businessId, connector, from, to, includeDeleted, includeRaw, limit, after);
    }

    public ModelQuery between(Instant rangeFrom, Instant rangeTo) {
        return new ModelQuery(businessId, connectorId, rangeFrom, rangeTo, includeDeleted, includeRaw, limit, after);
    }

    public ModelQuery withDeleted(boolean deleted) {
        return new ModelQuery(businessId, connectorId, from, to, deleted, includeRaw, limit, after);
    }

    public ModelQuery withRaw(boolean raw) {
        return new ModelQuery(businessId, connectorId, from, to, includeDeleted, raw, limit, after);
    }

    /** {@code pageLimit} rows after the row whose sort key is {@code afterKey} (nothing: from the first row). */
    public ModelQuery page(int pageLimit, Object... afterKey) {
        return new ModelQuery(businessId, connectorId, from, to, includeDeleted, includeRaw, pageLimit,
                List.of(afterKey));
    }
}
