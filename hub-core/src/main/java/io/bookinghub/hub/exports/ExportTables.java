package io.bookinghub.hub.exports;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.bookinghub.model.AppointmentStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * The three exports. Their CSV headers are names the {@code csv-import} connector reads (docs/importing.md), so an
 * export imports back into a business: local times in the business's zone, service and staff by name, the
 * price with its currency. The extra columns ({@code Connector}, {@code Hub ID}) are none of the importer's
 * headers, so it passes them by.
 */
final class ExportTables {
    /** What the importer reads as a date and time: ISO date, space, 24 h time. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private ExportTables() {
    }

    /**
     * An appointment with the names it refers to: its segments' services and staff (by name where stored, else
     * by external id, joined with " + " when there are several) and its client's contact details.
     */
    record AppointmentExport(UUID id, String connectorId, String externalId, OffsetDateTime start, OffsetDateTime end,
            String timeZone, AppointmentStatus status, String providerStatus, String services, String staff,
            String clientExternalId, String clientName, String clientPhone, String clientEmail, BigDecimal price,
            String currency, String clientNote, String businessNote, Instant updatedAt) {
    }

    /** A client. */
    record ClientExport(UUID id, String connectorId, String externalId, String name, String phone, String email,
            Instant updatedAt) {
    }

    /** A service with its variants; the CSV has the first variant's duration and price. */
    record ServiceExport(UUID id, String connectorId, String externalId, String name, String category,
            String description, boolean active, Long durationMinutes, BigDecimal price, String currency,
            @JsonRawValue String variants, Instant updatedAt) {
    }

    static final ExportTable<AppointmentExport> APPOINTMENTS = new ExportTable<>("appointments",
            "SELECT t.id, t.connector_id, t.external_id, t.starts_at, t.ends_at, t.time_zone, t.status,"
                    + " t.provider_status, t.client_external_id, t.price_amount, t.price_currency, t.client_note,"
                    + " t.business_note, t.updated_at, c.name AS client_name, c.phone AS client_phone,"
                    + " c.email AS client_email, seg.services, seg.staff"
                    + " FROM appointments t"
                    + " LEFT JOIN clients c ON c.business_id = t.business_id AND c.connector_id = t.connector_id"
                    + " AND c.external_id = t.client_external_id"
                    + " LEFT JOIN LATERAL (SELECT string_agg(coalesce(sv.name, s.service_external_id), ' + '"
                    + " ORDER BY s.position) AS services, string_agg(DISTINCT coalesce(st.name,"
                    + " s.staff_external_id), ' + ') AS staff"
                    + " FROM appointment_segments s"
                    + " LEFT JOIN services sv ON sv.business_id = t.business_id AND sv.connector_id = t.connector_id"
                    + " AND sv.external_id = s.service_external_id"
                    + " LEFT JOIN staff_members st ON st.business_id = t.business_id"
                    + " AND st.connector_id = t.connector_id AND st.external_id = s.staff_external_id"
                    + " WHERE s.appointment_id = t.id) seg ON true"
                    + " WHERE t.business_id = :business_id <filters>"
                    + " ORDER BY t.starts_at, t.connector_id, t.external_id",
            (rs, ctx) -> {
                ZoneId zone = ZoneId.of(rs.getString("time_zone"));
                return new AppointmentExport(rs.getObject("id", UUID.class), rs.getString("connector_id"),
                        rs.getString("external_id"), at(rs, "starts_at", zone), at(rs, "ends_at", zone),
                        zone.getId(), AppointmentStatus.valueOf(rs.getString("status")),
                        rs.getString("provider_status"), rs.getString("services"), rs.getString("staff"),
                        rs.getString("client_external_id"), rs.getString("client_name"), rs.getString("client_phone"),
                        rs.getString("client_email"), rs.getBigDecimal("price_amount"),
                        rs.getString("price_currency"), rs.getString("client_note"), rs.getString("business_note"),
                        instant(rs, "updated_at"));
            },
            List.of("Appointment ID", "Start date time", "End date time", "Service", "Staff", "Client",
                    "Client phone", "Client email", "Price", "Status", "Notes", "Connector", "Hub ID"),
            (a, zone) -> cells(a.externalId(), local(a.start(), zone), local(a.end(), zone), a.services(), a.staff(),
                    a.clientName(), a.clientPhone(), a.clientEmail(), price(a.price(), a.currency()),
                    a.status().name(), a.businessNote(), a.connectorId(), a.id().toString()));

    static final ExportTable<ClientExport> CLIENTS = new ExportTable<>("clients",
            "SELECT t.id, t.connector_id, t.external_id, t.name, t.phone, t.email, t.updated_at FROM clients t"
                    + " WHERE t.business_id = :business_id <filters> ORDER BY t.name, t.connector_id, t.external_id",
            (rs, ctx) -> new ClientExport(rs.getObject("id", UUID.class), rs.getString("connector_id"),
                    rs.getString("external_id"), rs.getString("name"), rs.getString("phone"), rs.getString("email"),
                    instant(rs, "updated_at")),
            List.of("Client ID", "Name", "Phone", "Email", "Connector", "Hub ID"),
            (c, zone) -> cells(c.externalId(), c.name(), c.phone(), c.email(), c.connectorId(), c.id().toString()));

    static final ExportTable<ServiceExport> SERVICES = new ExportTable<>("services",
            "SELECT t.id, t.connector_id, t.external_id, t.name, t.category, t.description, t.active, t.updated_at,"
                    + " first.duration_seconds, first.price_amount, first.price_currency, variants.json AS variants"
                    + " FROM services t"
                    + " LEFT JOIN LATERAL (SELECT v.duration_seconds, v.price_amount, v.price_currency"
                    + " FROM service_variants v WHERE v.service_id = t.id ORDER BY v.position LIMIT 1) first ON true"
                    + " LEFT JOIN LATERAL (SELECT CAST(coalesce(json_agg(json_build_object('externalId', v.external_id,"
                    + " 'name', v.name, 'durationMinutes', v.duration_seconds / 60.0, 'price', v.price_amount,"
                    + " 'currency', v.price_currency) ORDER BY v.position), '[]') AS text) AS json"
                    + " FROM service_variants v WHERE v.service_id = t.id) variants ON true"
                    + " WHERE t.business_id = :business_id <filters> ORDER BY t.name, t.connector_id, t.external_id",
            (rs, ctx) -> {
                long seconds = rs.getLong("duration_seconds");
                Long minutes = rs.wasNull() ? null : Math.round(seconds / 60.0);
                return new ServiceExport(rs.getObject("id", UUID.class), rs.getString("connector_id"),
                        rs.getString("external_id"), rs.getString("name"), rs.getString("category"),
                        rs.getString("description"), rs.getBoolean("active"), minutes,
                        rs.getBigDecimal("price_amount"), rs.getString("price_currency"), rs.getString("variants"),
                        instant(rs, "updated_at"));
            },
            List.of("Service ID", "Name", "Category", "Duration", "Price", "Description", "Connector", "Hub ID"),
            (s, zone) -> cells(s.externalId(), s.name(), s.category(),
                    s.durationMinutes() == null ? null : s.durationMinutes().toString(),
                    price(s.price(), s.currency()), s.description(), s.connectorId(), s.id().toString()));

    /** The cells, an absent value as an empty cell. */
    private static List<String> cells(String... values) {
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = values[i] == null ? "" : values[i];
        }
        return List.of(cells);
    }

    /**
     * "150.50 PLN": the amount and the currency the importer reads from the same cell. The database keeps four
     * decimals; the currency's own number of them is written when no digit is lost (120.0000 PLN as 120.00).
     */
    private static String price(BigDecimal amount, String currency) {
        if (amount == null) {
            return null;
        }
        BigDecimal shown = amount;
        int digits = currencyDigits(currency);
        if (digits >= 0 && amount.stripTrailingZeros().scale() <= digits) {
            shown = amount.setScale(digits, RoundingMode.UNNECESSARY);
        }
        return shown.toPlainString() + (currency == null ? "" : " " + currency);
    }

    private static int currencyDigits(String currency) {
        try {
            return currency == null ? -1 : Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static String local(OffsetDateTime at, ZoneId zone) {
        return at.atZoneSameInstant(zone).format(LOCAL);
    }

    private static OffsetDateTime at(ResultSet rs, String column, ZoneId zone) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).atZoneSameInstant(zone).toOffsetDateTime();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
