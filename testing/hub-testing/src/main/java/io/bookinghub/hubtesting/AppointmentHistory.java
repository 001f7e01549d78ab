package io.bookinghub.hubtesting;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A business's appointment history written straight into the hub's schema with {@code generate_series} (a million
 * rows in seconds, where the sync path would take minutes), for tests and benchmarks of the read side.
 *
 * <p>Appointment {@code j} (1 = the latest) starts {@code j * spacing} before {@code end} and lasts an hour; every
 * 5,000th, counted from the end, lasts three days (multi-day bookings exist, and must not make a window read the
 * past). Counting from the end keeps the most recent weeks identical whatever the size of the history, so one
 * window can be compared across sizes. One more appointment, {@code long-running}, lasts from three days before
 * {@code end - 7 days} to a day after: it overlaps the start of the last week's window from before it.
 *
 * @param count   appointments besides {@code long-running}
 * @param spacing time between two consecutive starts
 * @param end     the instant the latest appointment starts {@code spacing} before
 */
public record AppointmentHistory(int count, Duration spacing, Instant end) {
    /** The connector id of every generated row. */
    public static final String CONNECTOR = "history";

    public AppointmentHistory {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        requireNonNull(spacing, "spacing is null");
        requireNonNull(end, "end is null");
    }

    /**
     * Inserts the history (and, with {@code segments}, one segment per appointment, as a synced booking has) for
     * the existing business {@code businessId}, then runs ANALYZE so plans see the new sizes.
     */
    public void load(Connection connection, UUID businessId, boolean segments) throws SQLException {
        String insert = "INSERT INTO appointments (business_id, connector_id, external_id, client_external_id,"
                + " starts_at, ends_at, time_zone, status, raw, content_hash, created_at, updated_at)"
                + " SELECT ?, ?, 'h' || j, 'c' || (j % 500), s, s + CASE WHEN j % 5000 = 0 THEN interval '3 days'"
                + " ELSE interval '1 hour' END, 'Europe/Warsaw', 'BOOKED',"
                + " jsonb_build_object('id', 'h' || j, 'note', 'generated history'), md5(j::text), now(), now()"
                + " FROM generate_series(1, ?) AS j, LATERAL (SELECT CAST(? AS timestamptz) - j * make_interval(secs => ?) AS s) AS start";
        try (PreparedStatement st = connection.prepareStatement(insert)) {
            st.setObject(1, businessId);
            st.setString(2, CONNECTOR);
            st.setInt(3, count);
            st.setObject(4, utc(end));
            st.setDouble(5, spacing.toNanos() / 1e9);
            st.executeUpdate();
        }
        Instant windowStart = end.minus(Duration.ofDays(7));
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO appointments (business_id,"
                + " connector_id, external_id, starts_at, ends_at, time_zone, status, content_hash, created_at,"
                + " updated_at) VALUES (?, ?, 'long-running', ?, ?, 'Europe/Warsaw', 'BOOKED', 'x', now(), now())")) {
            st.setObject(1, businessId);
            st.setString(2, CONNECTOR);
            st.setObject(3, utc(windowStart.minus(Duration.ofDays(3))));
            st.setObject(4, utc(windowStart.plus(Duration.ofDays(1))));
            st.executeUpdate();
        }
        if (segments) {
            try (PreparedStatement st = connection.prepareStatement("INSERT INTO appointment_segments"
                    + " (appointment_id, position, service_external_id, staff_external_id, starts_at, ends_at)"
                    + " SELECT id, 0, 'svc', 'staff', starts_at, ends_at FROM appointments WHERE business_id = ?")) {
                st.setObject(1, businessId);
                st.executeUpdate();
            }
        }
        try (var st = connection.createStatement()) {
            st.execute("ANALYZE appointments");
            st.execute("ANALYZE appointment_segments");
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
