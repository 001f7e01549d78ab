package io.bookinghub.hub.bookings;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.spi.booking.AvailabilityQuery;
import io.bookinghub.toolkit.IsoInstants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Free slots for the app API: from the synced model, or live from the provider. */
final class Availability {
    private static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

    private final Clock clock;
    private final Jdbi jdbi;
    private final BookingService bookings;
    private final ConnectorInstances instances;

    Availability(Clock clock, Jdbi jdbi, BookingService bookings, ConnectorInstances instances) {
        this.clock = requireNonNull(clock, "clock is null");
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.bookings = requireNonNull(bookings, "bookings is null");
        this.instances = requireNonNull(instances, "instances is null");
    }

    /** One search; {@code from} and {@code to} as given (ISO-8601 with an offset, null for the defaults). */
    record Search(UUID businessId, String service, String staff, String from, String to, String connector,
            boolean live, int limit, Cursor cursor) {
    }

    Page<SlotView> search(Search s) {
        Instant from = s.from() == null ? clock.instant() : parameter("from", s.from());
        Instant to = s.to() == null ? from.plus(DEFAULT_WINDOW) : parameter("to", s.to());
        if (!to.isAfter(from)) {
            throw BadRequestException.parameter("to", "must be after from");
        }
        if (s.live()) {
            return live(s, from, to);
        }
        StringBuilder sql = new StringBuilder("SELECT connector_id, external_id, staff_external_id, "
                + "service_external_id, location_external_id, starts_at, ends_at, time_zone FROM availability_slots "
                + "WHERE business_id = :b AND deleted_at IS NULL AND starts_at >= :from AND starts_at < :to");
        if (s.service() != null) {
            sql.append(" AND service_external_id = :service");
        }
        if (s.staff() != null) {
            sql.append(" AND staff_external_id = :staff");
        }
        if (s.connector() != null) {
            sql.append(" AND connector_id = :connector");
        }
        if (s.cursor() != null) {
            sql.append(" AND (starts_at, connector_id, external_id) > (:afterStart, :afterConnector, :afterId)");
        }
        sql.append(" ORDER BY starts_at, connector_id, external_id LIMIT :limit");
        List<SlotView> rows = jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("b", s.businessId()).bind("from", from).bind("to", to)
                    .bind("limit", s.limit() + 1);
            if (s.service() != null) {
                q.bind("service", s.service());
            }
            if (s.staff() != null) {
                q.bind("staff", s.staff());
            }
            if (s.connector() != null) {
                q.bind("connector", s.connector());
            }
            if (s.cursor() != null) {
                q.bind("afterStart", s.cursor().instant(0, "cursor")).bind("afterConnector", s.cursor().text(1))
                        .bind("afterId", s.cursor().text(2));
            }
            return q.map((rs, ctx) -> new SlotView(rs.getString("connector_id"), rs.getString("external_id"),
                    rs.getString("staff_external_id"), rs.getString("service_external_id"),
                    rs.getString("location_external_id"), rs.getObject("starts_at", OffsetDateTime.class).toInstant(),
                    rs.getObject("ends_at", OffsetDateTime.class).toInstant(), rs.getString("time_zone"))).list();
        });
        if (rows.isEmpty()) {
            jdbi.onDemand(BusinessDao.class).require(s.businessId());
        }
        return Page.of(rows, s.limit(), v -> Cursor.after("availability-v1", v.start(), v.connectorId(),
                v.externalId()));
    }

    /** Asked of the provider now: one page of at most {@code limit} slots (narrow the window for more). */
    private Page<SlotView> live(Search s, Instant from, Instant to) {
        if (s.service() == null) {
            throw BadRequestException.parameter("service", "is required with live=true");
        }
        if (Duration.between(from, to).compareTo(AvailabilityQuery.MAX_WINDOW) > 0) {
            throw BadRequestException.parameter("to", "with live=true at most "
                    + AvailabilityQuery.MAX_WINDOW.toDays() + " days after from");
        }
        ConnectionRow connection = bookings.connectionFor(s.businessId(), s.connector());
        List<SlotView> slots = instances.use(connection, c -> c.bookings().searchAvailability(
                new AvailabilityQuery(s.service(), s.staff(), from, to))).stream().map(SlotView::of).toList();
        return new Page<>(slots.subList(0, Math.min(s.limit(), slots.size())), s.limit(), null);
    }

    private static Instant parameter(String name, String text) {
        try {
            return IsoInstants.parseOffsetDateTime(text.trim());
        } catch (DateTimeParseException e) {
            throw BadRequestException.parameter(name, "must be an ISO-8601 date-time with an offset, such as "
                    + "2026-12-03T09:00:00+01:00");
        }
    }
}
