package io.bookinghub.hub.exports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.api.BadRequestException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.statement.Query;

/**
 * What an export reads: one business's live records, optionally of one connector and, for appointments, those
 * overlapping [{@code from}, {@code to}).
 */
record ExportFilter(UUID businessId, String connectorId, Instant from, Instant to) {
    ExportFilter {
        requireNonNull(businessId, "businessId is null");
        if (connectorId != null && connectorId.isBlank()) {
            connectorId = null;
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw BadRequestException.parameter("to", "must be after from");
        }
    }

    /** The filter from query parameters; a bad instant is a 400 naming its parameter. */
    static ExportFilter of(UUID businessId, String connectorId, String from, String to) {
        return new ExportFilter(businessId, connectorId, BadRequestException.instant("from", from),
                BadRequestException.instant("to", to));
    }

    /** The SQL of the filter, for table alias {@code t}, and its arguments bound on {@code query}. */
    Query apply(Query query, boolean timeRanged) {
        StringBuilder sql = new StringBuilder(" AND t.deleted_at IS NULL");
        query.bind("business_id", businessId);
        if (connectorId != null) {
            sql.append(" AND t.connector_id = :connector_id");
            query.bind("connector_id", connectorId);
        }
        if (timeRanged && from != null) {
            sql.append(" AND t.ends_at > :from");
            query.bind("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        }
        if (timeRanged && to != null) {
            sql.append(" AND t.starts_at < :to");
            query.bind("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        }
        return query.define("filters", sql.toString());
    }

}
