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
import java.time.Duration;
import java.time.Instant;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Read side of the shared model for the admin API: pages of plain view records, ready for JSON.
 * Lists are ordered by a unique key (by time for appointments and availability, otherwise by name, ties broken by
 * connector and external id) and paged by keyset: a page starts after the key of the previous page's last row, an
 * index range, so a deep page costs what the first one does and rows written meanwhile neither shift nor repeat.
 */
public final class ModelQueries {
    /** How far before a window's start the start-bounded branch of {@link #window} reads; longer rows are few. */
    static final Duration SHORT = Duration.ofHours(24);
    /** {@link #SHORT} as V11's partial indexes spell it (their predicate must match the query's text). */
    private static final String SHORT_SQL = "interval '24 hours'";
    /** The order of appointments and availability, and of the keys of their cursors. */
    public static final List<String> BY_START = List.of("starts_at", "connector_id", "external_id");
    /** The order of services, staff, clients and locations, and of the keys of their cursors. */
    public static final List<String> BY_NAME = List.of("name", "connector_id", "external_id");

    private static final String APPOINTMENT_COLUMNS = "t.id, t.connector_id, t.external_id, t.client_external_id,"
            + " t.location_external_id, t.starts_at, t.ends_at, t.time_zone, t.status, t.provider_status,"
            + " t.cancellation_reason, t.cancelled_at, t.client_note, t.business_note, t.price_amount,"
            + " t.price_currency, t.rescheduled_from_external_id, t.provider_version, t.provider_updated_at,"
            + " t.deleted_at, t.created_at, t.updated_at, ";

    /** A Jdbi named parameter ({@code :name}, not a {@code ::} cast). */
    private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_]\\w*)");

    private final Jdbi jdbi;

    public ModelQueries(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Appointments overlapping [from, to) (either bound optional), ordered by start. */
    public List<AppointmentView> appointments(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = appointmentsSql(q, args);
        return jdbi.inTransaction(h -> {
            genericPlans(h);
            return withSegments(h, bindAll(h.createQuery(sql), args).map(appointmentRow()).list());
        });
    }

    /**
     * What {@link #appointments} makes PostgreSQL do for {@code q}: its statement, prepared and run with the same
     * generic plan under {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)}, so tests and benchmarks can show which rows
     * and pages a page of appointments touches (the segments' statement, one index probe per row served, is left
     * out). An {@code EXPLAIN} of the statement with its values bound would show a plan made for those values,
     * which the API's reads do not use.
     */
    public PlanCost explainAppointments(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = appointmentsSql(q, args);
        List<String> names = List.copyOf(args.keySet());
        String positional = NAMED_PARAMETER.matcher(sql).replaceAll(m -> "\\$" + (names.indexOf(m.group(1)) + 1));
        return PlanCost.of(jdbi.withHandle(h -> {
            // EXECUTE inside EXPLAIN takes no bind parameters: the values go in as literals of their bound types,
            // which PostgreSQL itself renders.
            String[] typed = bindAll(h.createQuery(names.stream().map(n -> "quote_literal(CAST(:" + n
                    + " AS text)), pg_typeof(:" + n + ")::text").collect(Collectors.joining(", ", "SELECT ARRAY[",
                    "]"))), args).map((rs, ctx) -> (String[]) rs.getArray(1).getArray()).one();
            List<String> types = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < typed.length; i += 2) {
                values.add(typed[i] + "::" + typed[i + 1]);
                types.add(typed[i + 1]);
            }
            h.execute("PREPARE hub_explained_window(" + String.join(", ", types) + ") AS " + positional);
            try {
                return h.inTransaction(tx -> {
                    genericPlans(tx);
                    return tx.createQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE hub_explained_window("
                            + String.join(", ", values) + ")").mapTo(String.class).one();
                });
            } finally {
                // A prepared statement belongs to the session, which the pool hands on.
                h.execute("DEALLOCATE hub_explained_window");
            }
        }), "appointments");
    }

    /**
     * Plans the transaction's statements once per connection rather than at every execution. A windowed page is a
     * union of two index ranges joined to clients; planning it for each request's values took PostgreSQL 0.38 ms,
     * more than running it (0.30 ms; pg_stat_statements under {@code ReadBenchmark}), and every value gets the same
     * plan anyway: both branches are index ranges bounded by the page size, whatever the business or window
     * ({@code AppointmentWindowCostTest} measures that generic plan).
     */
    private static void genericPlans(Handle h) {
        h.execute("SET LOCAL plan_cache_mode = force_generic_plan");
    }

    private static String appointmentsSql(ModelQuery q, Map<String, Argument> args) {
        return withClientName(window("appointments", APPOINTMENT_COLUMNS + raw("t", q.includeRaw()), q, args))
                + " ORDER BY a.starts_at, a.connector_id, a.external_id";
    }

    /** One appointment of the business by its hub id (deleted ones included). */
    public Optional<AppointmentView> appointment(UUID businessId, UUID id, boolean includeRaw) {
        requireNonNull(businessId, "businessId is null");
        requireNonNull(id, "id is null");
        String sql = withClientName("SELECT " + APPOINTMENT_COLUMNS + raw("t", includeRaw)
                + " FROM appointments t WHERE t.business_id = :business_id AND t.id = :id");
        return jdbi.withHandle(h -> withSegments(h, h.createQuery(sql)
                .bind("business_id", uuid(businessId))
                .bind("id", uuid(id))
                .map(appointmentRow()).list()).stream().findFirst());
    }

    /** Availability slots overlapping [from, to) (either bound optional), ordered by start. */
    public List<AvailabilityView> availability(ModelQuery q) {
        requireNonNull(q, "query is null");
        Map<String, Argument> args = new LinkedHashMap<>();
        String sql = window("availability_slots", "t.id, t.connector_id, t.external_id, t.staff_external_id,"
                + " t.service_external_id, t.location_external_id, t.starts_at, t.ends_at, t.time_zone, t.deleted_at,"
                + " t.created_at, t.updated_at, " + raw("t", q.includeRaw()), q, args);
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
                + raw("t", q.includeRaw()) + " FROM services t" + where("t", q, args)
                + page("t", BY_NAME, q, args);
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
                + " FROM staff_members t" + where("t", q, args)
                + page("t", BY_NAME, q, args);
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
                + " FROM clients t" + where("t", q, args)
                + page("t", BY_NAME, q, args);
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
                + where("t", q, args) + page("t", BY_NAME, q, args);
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
                + where("t", q, args) + page("t", List.of("connector_id", "external_id"), q, args);
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

    /** Appointment rows of the business selected by {@code inner}, as {@code a}, with their client's name. */
    private static String withClientName(String inner) {
        return "SELECT a.*, c.name AS client_name FROM (" + inner + ") a LEFT JOIN clients c"
                + " ON c.business_id = :business_id AND c.connector_id = a.connector_id"
                + " AND c.external_id = a.client_external_id";
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

    /**
     * Rows of a time-ranged table overlapping [from, to), one page in (starts_at, connector_id, external_id) order.
     * With a {@code from}, two disjoint branches, each an index range that does not grow with history (why: V11's
     * comment): rows starting after {@code from - SHORT} (the {@code *_window} index), and rows starting earlier that
     * still run at {@code from}, which last longer than {@link #SHORT} (the partial {@code *_long} index: the branch
     * repeats its predicate so the planner may use it). The first branch stops at the page size and the second holds
     * only multi-day rows running at {@code from}, so the outer sort sees about one page of rows.
     */
    private static String window(String table, String columns, ModelQuery q, Map<String, Argument> args) {
        String common = " FROM " + table + " t" + where("t", q, args) + keyset("t", BY_START, q, args);
        if (q.to() != null) {
            common += " AND t.starts_at < :to";
            args.put("to", timestamp(q.to()));
        }
        String order = " ORDER BY starts_at, connector_id, external_id LIMIT :limit";
        args.put("limit", bigint((long) q.limit()));
        if (q.from() == null) {
            return "SELECT " + columns + common + order;
        }
        args.put("from", timestamp(q.from()));
        args.put("short_from", timestamp(q.from().minus(SHORT)));
        // The long branch has no ORDER BY of its own on purpose: one would let the planner serve it from the
        // *_window index in start order (for a Merge Append), walking all history before from - SHORT; unordered,
        // the few multi-day rows still running at `from` come from the partial index and are sorted in memory.
        return "(SELECT " + columns + common + " AND t.starts_at > :short_from AND t.ends_at > :from" + order
                + ") UNION ALL (SELECT " + columns + common + " AND t.starts_at <= :short_from AND t.ends_at > :from"
                + " AND t.ends_at - t.starts_at > " + SHORT_SQL + ")" + order;
    }

    private static String where(String alias, ModelQuery q, Map<String, Argument> args) {
        StringBuilder sb = new StringBuilder(" WHERE ").append(alias).append(".business_id = :business_id");
        args.put("business_id", uuid(q.businessId()));
        if (q.connectorId() != null) {
            sb.append(" AND ").append(alias).append(".connector_id = :connector_id");
            args.put("connector_id", text(q.connectorId()));
        }
        if (!q.includeDeleted()) {
            sb.append(" AND ").append(alias).append(".deleted_at IS NULL");
        }
        return sb.toString();
    }

    /** The rows after the query's keyset position: one row comparison, an index range on the listing's key. */
    private static String keyset(String alias, List<String> columns, ModelQuery q, Map<String, Argument> args) {
        if (q.after().isEmpty()) {
            return "";
        }
        if (q.after().size() != columns.size()) {
            throw new IllegalArgumentException("a position of " + columns.size() + " keys is needed, not "
                    + q.after().size());
        }
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            String sep = i == 0 ? "" : ", ";
            left.append(sep).append(alias).append('.').append(columns.get(i));
            right.append(sep).append(":k").append(i);
            Object key = q.after().get(i);
            args.put("k" + i, key instanceof Instant instant ? timestamp(instant) : text((String) key));
        }
        return " AND (" + left + ") > (" + right + ")";
    }

    private static String page(String alias, List<String> columns, ModelQuery q, Map<String, Argument> args) {
        args.put("limit", bigint((long) q.limit()));
        return keyset(alias, columns, q, args) + " ORDER BY " + columns.stream().map(c -> alias + "." + c)
                .collect(Collectors.joining(", ")) + " LIMIT :limit";
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
