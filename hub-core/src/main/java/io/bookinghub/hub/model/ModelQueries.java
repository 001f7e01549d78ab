package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.SqlArgs.bigint;
import static io.bookinghub.hub.model.SqlArgs.instant;
import static io.bookinghub.hub.model.SqlArgs.nullableLong;
import static io.bookinghub.hub.model.SqlArgs.text;
import static io.bookinghub.hub.model.SqlArgs.timestamp;
import static io.bookinghub.hub.model.SqlArgs.uuid;
import static java.util.Objects.requireNonNull;

import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Money;
import io.bookinghub.model.RecordKind;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Read side of the shared model for the admin API: pages of plain view records, ready for JSON.
 * Lists are ordered stably (by time for appointments and availability, otherwise by name) so that
 * limit/offset paging neither skips nor repeats rows while the data is unchanged.
 */
public final class ModelQueries {
    private final Jdbi jdbi;

    public ModelQueries(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Appointments overlapping [from, to) (either bound optional), ordered by start. */
    public List<AppointmentView> appointments(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = appointmentSelect(q.includeRaw()) + where("a", q, true, args)
                + " ORDER BY a.starts_at, a.connector_id, a.external_id" + page(q, args);
        return jdbi.withHandle(h -> withSegments(h, bindAll(h.createQuery(sql), args)
                .map(appointmentRow()).list()));
    }

    /** One appointment of the business by its hub id (deleted ones included). */
    public Optional<AppointmentView> appointment(UUID businessId, UUID id, boolean includeRaw) {
        requireNonNull(businessId, "businessId is null");
        requireNonNull(id, "id is null");
        String sql = appointmentSelect(includeRaw) + " WHERE a.business_id = :business_id AND a.id = :id";
        return jdbi.withHandle(h -> withSegments(h, h.createQuery(sql)
                .bind("business_id", uuid(businessId))
                .bind("id", uuid(id))
                .map(appointmentRow()).list()).stream().findFirst());
    }

    /** Availability slots overlapping [from, to) (either bound optional), ordered by start. */
    public List<AvailabilityView> availability(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = "SELECT t.id, t.connector_id, t.external_id, t.staff_external_id, t.service_external_id,"
                + " t.location_external_id, t.starts_at, t.ends_at, t.time_zone, t.deleted_at, t.created_at,"
                + " t.updated_at, " + raw("t", q.includeRaw()) + " FROM availability_slots t"
                + where("t", q, true, args) + " ORDER BY t.starts_at, t.connector_id, t.external_id" + page(q, args);
        return jdbi.withHandle(h -> bindAll(h.createQuery(sql), args)
                .map((rs, ctx) -> new AvailabilityView(uuid(rs, "id"), rs.getString("connector_id"),
                        rs.getString("external_id"), rs.getString("staff_external_id"),
                        rs.getString("service_external_id"), rs.getString("location_external_id"),
                        instant(rs, "starts_at"), instant(rs, "ends_at"), rs.getString("time_zone"),
                        instant(rs, "deleted_at") != null, instant(rs, "deleted_at"), instant(rs, "created_at"),
                        instant(rs, "updated_at"), rs.getString("raw")))
                .list());
    }

    /** Services with their variants, ordered by name. */
    public List<ServiceView> services(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = "SELECT t.id, t.connector_id, t.external_id, t.name, t.category, t.description, t.active,"
                + " t.provider_version, t.provider_updated_at, t.deleted_at, t.created_at, t.updated_at, "
                + raw("t", q.includeRaw()) + " FROM services t" + where("t", q, false, args)
                + " ORDER BY t.name, t.connector_id, t.external_id" + page(q, args);
        return jdbi.withHandle(h -> {
            List<ServiceView> services = bindAll(h.createQuery(sql), args)
                    .map((rs, ctx) -> new ServiceView(uuid(rs, "id"), rs.getString("connector_id"),
                            rs.getString("external_id"), rs.getString("name"), rs.getString("category"),
                            rs.getString("description"), rs.getBoolean("active"), List.of(),
                            nullableLong(rs, "provider_version"), instant(rs, "provider_updated_at"),
                            instant(rs, "deleted_at") != null, instant(rs, "deleted_at"), instant(rs, "created_at"),
                            instant(rs, "updated_at"), rs.getString("raw")))
                    .list();
            if (services.isEmpty()) {
                return services;
            }
            Map<UUID, List<ServiceVariantView>> variants = new HashMap<>();
            h.createQuery("SELECT service_id, external_id, name, duration_seconds, price_amount, price_currency"
                            + " FROM service_variants WHERE service_id = ANY(:ids) ORDER BY service_id, position")
                    .bind("ids", SqlArgs.uuids(services.stream().map(ServiceView::id).toList()))
                    .map((rs, ctx) -> Map.entry(uuid(rs, "service_id"), new ServiceVariantView(
                            rs.getString("external_id"), rs.getString("name"), rs.getLong("duration_seconds"),
                            money(rs, "price_amount", "price_currency"))))
                    .forEach(e -> variants.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            return services.stream().map(s -> new ServiceView(s.id(), s.connectorId(), s.externalId(), s.name(),
                    s.category(), s.description(), s.active(), variants.getOrDefault(s.id(), List.of()),
                    s.providerVersion(), s.providerUpdatedAt(), s.deleted(), s.deletedAt(), s.createdAt(),
                    s.updatedAt(), s.raw())).toList();
        });
    }

    /** Staff members ordered by name. */
    public List<StaffView> staff(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = "SELECT t.id, t.connector_id, t.external_id, t.name, t.email, t.phone, t.location_external_id,"
                + " t.active, t.deleted_at, t.created_at, t.updated_at, " + raw("t", q.includeRaw())
                + " FROM staff_members t" + where("t", q, false, args)
                + " ORDER BY t.name, t.connector_id, t.external_id" + page(q, args);
        return jdbi.withHandle(h -> bindAll(h.createQuery(sql), args)
                .map((rs, ctx) -> new StaffView(uuid(rs, "id"), rs.getString("connector_id"),
                        rs.getString("external_id"), rs.getString("name"), rs.getString("email"),
                        rs.getString("phone"), rs.getString("location_external_id"), rs.getBoolean("active"),
                        instant(rs, "deleted_at") != null, instant(rs, "deleted_at"), instant(rs, "created_at"),
                        instant(rs, "updated_at"), rs.getString("raw")))
                .list());
    }

    /** Clients ordered by name. */
    public List<ClientView> clients(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = "SELECT t.id, t.connector_id, t.external_id, t.name, t.email, t.phone, t.provider_version,"
                + " t.provider_updated_at, t.deleted_at, t.created_at, t.updated_at, " + raw("t", q.includeRaw())
                + " FROM clients t" + where("t", q, false, args)
                + " ORDER BY t.name, t.connector_id, t.external_id" + page(q, args);
        return jdbi.withHandle(h -> bindAll(h.createQuery(sql), args)
                .map((rs, ctx) -> new ClientView(uuid(rs, "id"), rs.getString("connector_id"),
                        rs.getString("external_id"), rs.getString("name"), rs.getString("email"),
                        rs.getString("phone"), nullableLong(rs, "provider_version"),
                        instant(rs, "provider_updated_at"), instant(rs, "deleted_at") != null,
                        instant(rs, "deleted_at"), instant(rs, "created_at"), instant(rs, "updated_at"),
                        rs.getString("raw")))
                .list());
    }

    /** Locations ordered by name. */
    public List<LocationView> locations(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = "SELECT t.id, t.connector_id, t.external_id, t.name, t.address, t.time_zone, t.deleted_at,"
                + " t.created_at, t.updated_at, " + raw("t", q.includeRaw()) + " FROM locations t"
                + where("t", q, false, args) + " ORDER BY t.name, t.connector_id, t.external_id" + page(q, args);
        return jdbi.withHandle(h -> bindAll(h.createQuery(sql), args)
                .map((rs, ctx) -> new LocationView(uuid(rs, "id"), rs.getString("connector_id"),
                        rs.getString("external_id"), rs.getString("name"), rs.getString("address"),
                        rs.getString("time_zone"), instant(rs, "deleted_at") != null, instant(rs, "deleted_at"),
                        instant(rs, "created_at"), instant(rs, "updated_at"), rs.getString("raw")))
                .list());
    }

    /** The providers' views of the business, ordered by connector. */
    public List<ProviderBusinessView> providerBusinesses(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = "SELECT t.id, t.connector_id, t.external_id, t.name, t.time_zone, t.currency, t.deleted_at,"
                + " t.created_at, t.updated_at, " + raw("t", q.includeRaw()) + " FROM provider_businesses t"
                + where("t", q, false, args) + " ORDER BY t.connector_id, t.external_id" + page(q, args);
        return jdbi.withHandle(h -> bindAll(h.createQuery(sql), args)
                .map((rs, ctx) -> new ProviderBusinessView(uuid(rs, "id"), rs.getString("connector_id"),
                        rs.getString("external_id"), rs.getString("name"), rs.getString("time_zone"),
                        rs.getString("currency"), instant(rs, "deleted_at") != null, instant(rs, "deleted_at"),
                        instant(rs, "created_at"), instant(rs, "updated_at"), rs.getString("raw")))
                .list());
    }

    /** Live (not deleted) records per kind for the business; every kind is present, 0 included. */
    public Map<RecordKind, Long> counts(UUID businessId) {
        return counts(businessId, null);
    }

    /** Like {@link #counts(UUID)}, restricted to one connector when {@code connectorId} is not null. */
    public Map<RecordKind, Long> counts(UUID businessId, String connectorId) {
        requireNonNull(businessId, "businessId is null");
        String filter = " WHERE business_id = :business_id AND deleted_at IS NULL"
                + (connectorId == null ? "" : " AND connector_id = :connector_id");
        String sql = Arrays.stream(RecordKind.values())
                .map(k -> "SELECT '" + k.name() + "' AS kind, count(*) AS n FROM " + RecordTables.of(k) + filter)
                .collect(Collectors.joining(" UNION ALL "));
        Map<RecordKind, Long> counts = new EnumMap<>(RecordKind.class);
        jdbi.useHandle(h -> {
            var query = h.createQuery(sql).bind("business_id", uuid(businessId));
            if (connectorId != null) {
                query.bind("connector_id", text(connectorId));
            }
            query.map((rs, ctx) -> Map.entry(RecordKind.valueOf(rs.getString("kind")), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
        });
        return Collections.unmodifiableMap(counts);
    }

    private static String appointmentSelect(boolean includeRaw) {
        return "SELECT a.id, a.connector_id, a.external_id, a.client_external_id, c.name AS client_name,"
                + " a.location_external_id, a.starts_at, a.ends_at, a.time_zone, a.status, a.provider_status,"
                + " a.cancellation_reason, a.cancelled_at, a.client_note, a.business_note, a.price_amount,"
                + " a.price_currency, a.rescheduled_from_external_id, a.provider_version, a.provider_updated_at,"
                + " a.deleted_at, a.created_at, a.updated_at, " + raw("a", includeRaw)
                + " FROM appointments a LEFT JOIN clients c ON c.business_id = a.business_id"
                + " AND c.connector_id = a.connector_id AND c.external_id = a.client_external_id";
    }

    private static RowMapper<AppointmentView> appointmentRow() {
        return (rs, ctx) -> new AppointmentView(uuid(rs, "id"), rs.getString("connector_id"),
                rs.getString("external_id"), rs.getString("client_external_id"), rs.getString("client_name"),
                rs.getString("location_external_id"), instant(rs, "starts_at"), instant(rs, "ends_at"),
                rs.getString("time_zone"), AppointmentStatus.valueOf(rs.getString("status")),
                rs.getString("provider_status"), rs.getString("cancellation_reason"), instant(rs, "cancelled_at"),
                rs.getString("client_note"), rs.getString("business_note"),
                money(rs, "price_amount", "price_currency"), rs.getString("rescheduled_from_external_id"),
                nullableLong(rs, "provider_version"), instant(rs, "provider_updated_at"), List.of(),
                instant(rs, "deleted_at") != null, instant(rs, "deleted_at"), instant(rs, "created_at"),
                instant(rs, "updated_at"), rs.getString("raw"));
    }

    private static List<AppointmentView> withSegments(Handle h, List<AppointmentView> appointments) {
        if (appointments.isEmpty()) {
            return appointments;
        }
        Map<UUID, List<AppointmentSegmentView>> segments = new HashMap<>();
        h.createQuery("SELECT appointment_id, service_external_id, service_variant_external_id, staff_external_id,"
                        + " starts_at, ends_at FROM appointment_segments WHERE appointment_id = ANY(:ids)"
                        + " ORDER BY appointment_id, position")
                .bind("ids", SqlArgs.uuids(appointments.stream().map(AppointmentView::id).toList()))
                .map((rs, ctx) -> Map.entry(uuid(rs, "appointment_id"), new AppointmentSegmentView(
                        rs.getString("service_external_id"), rs.getString("service_variant_external_id"),
                        rs.getString("staff_external_id"), instant(rs, "starts_at"), instant(rs, "ends_at"))))
                .forEach(e -> segments.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return appointments.stream().map(a -> new AppointmentView(a.id(), a.connectorId(), a.externalId(),
                a.clientExternalId(), a.clientName(), a.locationExternalId(), a.start(), a.end(), a.timeZone(),
                a.status(), a.providerStatus(), a.cancellationReason(), a.cancelledAt(), a.clientNote(),
                a.businessNote(), a.price(), a.rescheduledFromExternalId(), a.providerVersion(),
                a.providerUpdatedAt(), segments.getOrDefault(a.id(), List.of()), a.deleted(), a.deletedAt(),
                a.createdAt(), a.updatedAt(), a.raw())).toList();
    }

    private static String where(String alias, ModelQuery q, boolean timeRange, Map<String, Argument> args) {
        StringBuilder sb = new StringBuilder(" WHERE ").append(alias).append(".business_id = :business_id");
        args.put("business_id", uuid(q.businessId()));
        if (q.connectorId() != null) {
            sb.append(" AND ").append(alias).append(".connector_id = :connector_id");
            args.put("connector_id", text(q.connectorId()));
        }
        if (!q.includeDeleted()) {
            sb.append(" AND ").append(alias).append(".deleted_at IS NULL");
        }
        if (timeRange && q.from() != null) {
            sb.append(" AND ").append(alias).append(".ends_at > :from");
            args.put("from", timestamp(q.from()));
        }
        if (timeRange && q.to() != null) {
            sb.append(" AND ").append(alias).append(".starts_at < :to");
            args.put("to", timestamp(q.to()));
        }
        return sb.toString();
    }

    private static String page(ModelQuery q, Map<String, Argument> args) {
        args.put("limit", bigint((long) q.limit()));
        args.put("offset", bigint((long) q.offset()));
        return " LIMIT :limit OFFSET :offset";
    }

    private static String raw(String alias, boolean includeRaw) {
        return (includeRaw ? "CAST(" + alias + ".raw AS text)" : "NULL") + " AS raw";
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement,
            Map<String, Argument> args) {
        args.forEach(statement::bind);
        return statement;
    }

    private static Money money(ResultSet rs, String amountColumn, String currencyColumn) throws SQLException {
        BigDecimal amount = rs.getBigDecimal(amountColumn);
        String currency = rs.getString(currencyColumn);
        return amount == null || currency == null ? null : new Money(amount, currency);
    }
}
