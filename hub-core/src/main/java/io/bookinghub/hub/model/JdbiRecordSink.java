package io.bookinghub.hub.model;

import static io.bookinghub.hub.model.SqlArgs.bigint;
import static io.bookinghub.hub.model.SqlArgs.bool;
import static io.bookinghub.hub.model.SqlArgs.integer;
import static io.bookinghub.hub.model.SqlArgs.numeric;
import static io.bookinghub.hub.model.SqlArgs.text;
import static io.bookinghub.hub.model.SqlArgs.timestamp;
import static io.bookinghub.hub.model.SqlArgs.uuid;
import static java.util.Objects.requireNonNull;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.Business;
import io.bookinghub.model.Cancellation;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Location;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.model.RecordKind;
import io.bookinghub.model.Service;
import io.bookinghub.model.ServiceVariant;
import io.bookinghub.model.StaffMember;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.UpsertOutcome;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Writes model records of one business and connector into PostgreSQL.
 *
 * <p>Each upsert is one READ COMMITTED transaction: it first tries to insert the row ({@code ON CONFLICT
 * DO NOTHING}); if the row exists it locks it ({@code SELECT ... FOR UPDATE}) and decides in Java whether
 * the incoming record is identical (same content hash), stale (lower provider version, or earlier
 * provider updated-at when the versions cannot be compared) or newer. Concurrent upserts of the same
 * record therefore serialise on the row lock, and the newest version wins whatever order they arrive in.
 * Children (service variants, appointment segments) are replaced in the same transaction.
 *
 * <p>When {@code seenInRun} is set, every upsert — also an unchanged or stale one, since the provider
 * evidently still has the record — stamps {@code last_seen_run}, which
 * {@link SoftDeleter#softDeleteUnseen} relies on after a complete full sync. That stamp is bookkeeping:
 * it does not change {@code updated_at}.
 *
 * <p>A record that arrives again after it was soft-deleted is restored (outcome UPDATED) unless it is stale.
 *
 * <p>Longer than most classes on purpose: the seven record kinds share one write path (insert, lock,
 * compare, update, children, seen-stamp), and keeping that path in one place is what makes every kind
 * obey the same concurrency and staleness rules.
 */
public final class JdbiRecordSink implements RecordSink {
    private static final int MAX_ATTEMPTS = 3;

    private final Jdbi jdbi;
    /** Set for a sink that writes in its caller's open transaction ({@link #inTransaction}); jdbi is then null. */
    private final Handle handle;
    private final Clock clock;
    private final UUID businessId;
    private final String connectorId;
    private final UUID seenInRun;
    private final UnaryOperator<String> rawEncoder;
    /** Writes asked of this sink, and how many of them were stale (see {@link #everythingStale()}). */
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger staleWrites = new AtomicInteger();

    /**
     * @param jdbi        the hub database
     * @param clock       source of created_at / updated_at / deleted_at
     * @param businessId  the hub business the records belong to
     * @param connectorId every record's {@link ExternalRef#connectorId()} must equal this
     * @param seenInRun   the sync run whose upserts mark rows as seen, or null outside a run (webhooks, imports)
     */
    public JdbiRecordSink(Jdbi jdbi, Clock clock, UUID businessId, String connectorId, UUID seenInRun) {
        this(jdbi, clock, businessId, connectorId, seenInRun, RawJson::forJsonb);
    }

    /** For tests: {@code rawEncoder} replaces the JSON pre-check, to exercise the database-side fallback. */
    JdbiRecordSink(Jdbi jdbi, Clock clock, UUID businessId, String connectorId, UUID seenInRun,
            UnaryOperator<String> rawEncoder) {
        this(requireNonNull(jdbi, "jdbi is null"), null, clock, businessId, connectorId, seenInRun, rawEncoder);
    }

    private JdbiRecordSink(Jdbi jdbi, Handle handle, Clock clock, UUID businessId, String connectorId,
            UUID seenInRun, UnaryOperator<String> rawEncoder) {
        this.rawEncoder = requireNonNull(rawEncoder, "rawEncoder is null");
        this.jdbi = jdbi;
        this.handle = handle;
        this.clock = requireNonNull(clock, "clock is null");
        this.businessId = requireNonNull(businessId, "businessId is null");
        this.connectorId = requireNonNull(connectorId, "connectorId is null");
        if (connectorId.isBlank()) {
            throw new IllegalArgumentException("connectorId is blank");
        }
        this.seenInRun = seenInRun;
    }

    /**
     * A sink outside a sync run whose writes join the caller's open (READ COMMITTED) transaction on {@code handle},
     * so that the caller commits several events' records together with its own bookkeeping. A write that fails
     * leaves that transaction aborted: the caller rolls it back and may apply again through a {@link Jdbi} sink,
     * which also stores a raw payload PostgreSQL refused as a JSON string.
     */
    public static JdbiRecordSink inTransaction(Handle handle, Clock clock, UUID businessId, String connectorId) {
        return new JdbiRecordSink(null, requireNonNull(handle, "handle is null"), clock, businessId, connectorId,
                null, RawJson::forJsonb);
    }

    @Override
    public UpsertOutcome upsert(Business b) {
        requireNonNull(b, "business is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(b.name()));
        cols.put("time_zone", text(zone(b.timeZone())));
        cols.put("currency", text(b.currency()));
        return write(new Write(RecordKind.BUSINESS, b.ref(), ProviderVersion.UNKNOWN, b.rawJson(),
                RecordHasher.hash(b), cols, NO_CHILDREN));
    }

    @Override
    public UpsertOutcome upsert(Location l) {
        requireNonNull(l, "location is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(l.name()));
        cols.put("address", text(l.address()));
        cols.put("time_zone", text(zone(l.timeZone())));
        return write(new Write(RecordKind.LOCATION, l.ref(), ProviderVersion.UNKNOWN, l.rawJson(),
                RecordHasher.hash(l), cols, NO_CHILDREN));
    }

    @Override
    public UpsertOutcome upsert(StaffMember s) {
        requireNonNull(s, "staffMember is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(s.name()));
        cols.put("email", text(s.email()));
        cols.put("phone", text(s.phone()));
        cols.put("location_external_id", text(s.locationExternalId()));
        cols.put("active", bool(s.active()));
        return write(new Write(RecordKind.STAFF_MEMBER, s.ref(), ProviderVersion.UNKNOWN, s.rawJson(),
                RecordHasher.hash(s), cols, NO_CHILDREN));
    }

    @Override
    public UpsertOutcome upsert(Service s) {
        requireNonNull(s, "service is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(s.name()));
        cols.put("category", text(s.category()));
        cols.put("description", text(s.description()));
        cols.put("active", bool(s.active()));
        return write(new Write(RecordKind.SERVICE, s.ref(), s.version(), s.rawJson(), RecordHasher.hash(s), cols,
                (h, id) -> replaceVariants(h, id, s.variants())));
    }

    @Override
    public UpsertOutcome upsert(Client c) {
        requireNonNull(c, "client is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(c.name()));
        cols.put("email", text(c.email()));
        cols.put("phone", text(c.phone()));
        return write(new Write(RecordKind.CLIENT, c.ref(), c.version(), c.rawJson(), RecordHasher.hash(c), cols,
                NO_CHILDREN));
    }

    @Override
    public UpsertOutcome upsert(Appointment a) {
        requireNonNull(a, "appointment is null");
        Cancellation cancellation = a.cancellation();
        Money price = a.price();
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("client_external_id", text(a.clientExternalId()));
        cols.put("location_external_id", text(a.locationExternalId()));
        cols.put("starts_at", timestamp(a.start()));
        cols.put("ends_at", timestamp(a.end()));
        cols.put("time_zone", text(zone(a.timeZone())));
        cols.put("status", text(a.status().name()));
        cols.put("provider_status", text(a.providerStatus()));
        cols.put("cancellation_reason", text(cancellation == null ? null : cancellation.reason()));
        cols.put("cancelled_at", timestamp(cancellation == null ? null : cancellation.cancelledAt()));
        cols.put("client_note", text(a.clientNote()));
        cols.put("business_note", text(a.businessNote()));
        cols.put("price_amount", numeric(price == null ? null : price.amount()));
        cols.put("price_currency", text(price == null ? null : price.currency()));
        cols.put("rescheduled_from_external_id", text(a.rescheduledFromExternalId()));
        return write(new Write(RecordKind.APPOINTMENT, a.ref(), a.version(), a.rawJson(), RecordHasher.hash(a),
                cols, (h, id) -> replaceSegments(h, id, a.segments())));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot s) {
        requireNonNull(s, "slot is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("staff_external_id", text(s.staffExternalId()));
        cols.put("service_external_id", text(s.serviceExternalId()));
        cols.put("location_external_id", text(s.locationExternalId()));
        cols.put("starts_at", timestamp(s.start()));
        cols.put("ends_at", timestamp(s.end()));
        cols.put("time_zone", text(zone(s.timeZone())));
        return write(new Write(RecordKind.AVAILABILITY_SLOT, s.ref(), ProviderVersion.UNKNOWN, s.rawJson(),
                RecordHasher.hash(s), cols, NO_CHILDREN));
    }

    /** Soft-deletes the live row with this external id; false when there is none (absent or already deleted). */
    @Override
    public boolean delete(RecordKind kind, String externalId) {
        requireNonNull(kind, "kind is null");
        requireNonNull(externalId, "externalId is null");
        writes.incrementAndGet();
        Instant now = clock.instant();
        int rows = handle != null ? softDelete(handle, kind, externalId, now)
                : jdbi.withHandle(h -> softDelete(h, kind, externalId, now));
        return rows > 0;
    }

    private int softDelete(Handle h, RecordKind kind, String externalId, Instant now) {
        return h.createUpdate("UPDATE " + RecordTables.of(kind)
                        + " SET deleted_at = :now, updated_at = :now"
                        + " WHERE business_id = :business_id AND connector_id = :connector_id"
                        + " AND external_id = :external_id AND deleted_at IS NULL")
                .bind("now", timestamp(now))
                .bind("business_id", uuid(businessId))
                .bind("connector_id", text(connectorId))
                .bind("external_id", text(externalId))
                .execute();
    }

    /**
     * True when this sink was asked to write and every write was ignored as stale: the stored records are newer.
     * A webhook event applied through a sink of its own shows by it that it changed nothing.
     */
    public boolean everythingStale() {
        return writes.get() > 0 && staleWrites.get() == writes.get();
    }

    private UpsertOutcome write(Write w) {
        UpsertOutcome outcome = store(w);
        writes.incrementAndGet();
        if (outcome == UpsertOutcome.STALE) {
            staleWrites.incrementAndGet();
        }
        return outcome;
    }

    private UpsertOutcome store(Write w) {
        if (!connectorId.equals(w.ref().connectorId())) {
            throw new IllegalArgumentException("record " + w.kind() + " " + w.ref().externalId() + " is from connector '"
                    + w.ref().connectorId() + "', this sink writes for '" + connectorId + "'");
        }
        String raw = w.rawJson() == null ? null : rawEncoder.apply(w.rawJson());
        if (handle != null) {
            return write(handle, w, raw);
        }
        try {
            return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> write(h, w, raw));
        } catch (RuntimeException e) {
            // Last line of defence for "raw never fails the upsert": PostgreSQL refused a payload our own
            // JSON check accepted, so store it as a JSON string instead.
            String asString = RawJson.asJsonString(w.rawJson());
            if (raw != null && !raw.equals(asString) && isDataException(e)) {
                return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> write(h, w, asString));
            }
            throw e;
        }
    }

    private UpsertOutcome write(Handle h, Write w, String raw) {
        String table = RecordTables.of(w.kind());
        Instant now = clock.instant();
        ProviderVersion version = w.version();
        for (int attempt = 1; ; attempt++) {
            Optional<UUID> created = insert(h, table, w, raw, now);
            if (created.isPresent()) {
                w.children().replace(h, created.get());
                return UpsertOutcome.CREATED;
            }
            Optional<Stored> found = h.createQuery("SELECT id, content_hash, provider_version, provider_updated_at,"
                            + " deleted_at FROM " + table
                            + " WHERE business_id = :business_id AND connector_id = :connector_id"
                            + " AND external_id = :external_id FOR UPDATE")
                    .bind("business_id", uuid(businessId))
                    .bind("connector_id", text(connectorId))
                    .bind("external_id", text(w.ref().externalId()))
                    .map((rs, ctx) -> new Stored(SqlArgs.uuid(rs, "id"), rs.getString("content_hash"),
                            SqlArgs.nullableLong(rs, "provider_version"), SqlArgs.instant(rs, "provider_updated_at"),
                            SqlArgs.instant(rs, "deleted_at")))
                    .findOne();
            if (found.isEmpty()) {
                // The conflicting row vanished between our insert and select (its business was deleted
                // concurrently, or its inserting transaction rolled back): try the insert again.
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("could not upsert " + w.kind() + " " + w.ref().externalId()
                            + " after " + attempt + " attempts");
                }
                continue;
            }
            Stored stored = found.get();
            if (stored.contentHash().equals(w.hash())) {
                if (stored.deletedAt() != null) {
                    h.createUpdate("UPDATE " + table + " SET deleted_at = NULL, updated_at = :now,"
                                    + " last_seen_run = COALESCE(:seen, last_seen_run) WHERE id = :id")
                            .bind("now", timestamp(now))
                            .bind("seen", uuid(seenInRun))
                            .bind("id", uuid(stored.id()))
                            .execute();
                    return UpsertOutcome.UPDATED;
                }
                markSeen(h, table, stored.id());
                return UpsertOutcome.UNCHANGED;
            }
            if (isStale(stored, version)) {
                markSeen(h, table, stored.id());
                return UpsertOutcome.STALE;
            }
            update(h, table, stored.id(), w, raw, now);
            w.children().replace(h, stored.id());
            return UpsertOutcome.UPDATED;
        }
    }

    /**
     * Versions win when both sides have one (equal versions with other content are a provider fix and
     * are applied); otherwise updated-at decides when both sides have it; otherwise the write applies.
     */
    static boolean isStale(Stored stored, ProviderVersion incoming) {
        if (stored.providerVersion() != null && incoming.version() != null) {
            return incoming.version() < stored.providerVersion();
        }
        if (stored.providerUpdatedAt() != null && incoming.updatedAt() != null) {
            return SqlArgs.micros(incoming.updatedAt()).isBefore(stored.providerUpdatedAt());
        }
        return false;
    }

    private Optional<UUID> insert(Handle h, String table, Write w, String raw, Instant now) {
        String dataCols = String.join(", ", w.columns().keySet());
        String dataParams = w.columns().keySet().stream().map(c -> ":" + c).collect(Collectors.joining(", "));
        var query = h.createQuery("INSERT INTO " + table + " (business_id, connector_id, external_id, " + dataCols
                        + ", raw, content_hash, provider_version, provider_updated_at, last_seen_run, deleted_at,"
                        + " created_at, updated_at) VALUES (:business_id, :connector_id, :external_id, " + dataParams
                        + ", CAST(:raw AS jsonb), :content_hash, :provider_version, :provider_updated_at, :seen, NULL,"
                        + " :now, :now) ON CONFLICT (business_id, connector_id, external_id) DO NOTHING RETURNING id")
                .bind("business_id", uuid(businessId))
                .bind("connector_id", text(connectorId))
                .bind("external_id", text(w.ref().externalId()))
                .bind("raw", text(raw))
                .bind("content_hash", text(w.hash()))
                .bind("provider_version", bigint(w.version().version()))
                .bind("provider_updated_at", timestamp(w.version().updatedAt()))
                .bind("seen", uuid(seenInRun))
                .bind("now", timestamp(now));
        w.columns().forEach(query::bind);
        return query.map((rs, ctx) -> SqlArgs.uuid(rs, "id")).findOne();
    }

    private void update(Handle h, String table, UUID id, Write w, String raw, Instant now) {
        String sets = w.columns().keySet().stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "));
        var update = h.createUpdate("UPDATE " + table + " SET " + sets + ", raw = CAST(:raw AS jsonb),"
                        + " content_hash = :content_hash, provider_version = :provider_version,"
                        + " provider_updated_at = :provider_updated_at, last_seen_run = COALESCE(:seen, last_seen_run),"
                        + " deleted_at = NULL, updated_at = :now WHERE id = :id")
                .bind("raw", text(raw))
                .bind("content_hash", text(w.hash()))
                .bind("provider_version", bigint(w.version().version()))
                .bind("provider_updated_at", timestamp(w.version().updatedAt()))
                .bind("seen", uuid(seenInRun))
                .bind("now", timestamp(now))
                .bind("id", uuid(id));
        w.columns().forEach(update::bind);
        update.execute();
    }

    private void markSeen(Handle h, String table, UUID id) {
        if (seenInRun == null) {
            return;
        }
        h.createUpdate("UPDATE " + table + " SET last_seen_run = :seen WHERE id = :id"
                        + " AND last_seen_run IS DISTINCT FROM :seen")
                .bind("seen", uuid(seenInRun))
                .bind("id", uuid(id))
                .execute();
    }

    private static void replaceVariants(Handle h, UUID serviceId, List<ServiceVariant> variants) {
        h.createUpdate("DELETE FROM service_variants WHERE service_id = :id").bind("id", uuid(serviceId)).execute();
        PreparedBatch batch = h.prepareBatch("INSERT INTO service_variants (service_id, position, external_id, name,"
                + " duration_seconds, price_amount, price_currency) VALUES (:service_id, :position, :external_id,"
                + " :name, :duration_seconds, :price_amount, :price_currency)");
        for (int i = 0; i < variants.size(); i++) {
            ServiceVariant v = variants.get(i);
            batch.bind("service_id", uuid(serviceId))
                    .bind("position", integer(i))
                    .bind("external_id", text(v.externalId()))
                    .bind("name", text(v.name()))
                    .bind("duration_seconds", bigint(seconds(v.duration())))
                    .bind("price_amount", numeric(v.price() == null ? null : v.price().amount()))
                    .bind("price_currency", text(v.price() == null ? null : v.price().currency()))
                    .add();
        }
        batch.execute();
    }

    private static void replaceSegments(Handle h, UUID appointmentId, List<AppointmentSegment> segments) {
        h.createUpdate("DELETE FROM appointment_segments WHERE appointment_id = :id")
                .bind("id", uuid(appointmentId)).execute();
        PreparedBatch batch = h.prepareBatch("INSERT INTO appointment_segments (appointment_id, position,"
                + " service_external_id, service_variant_external_id, staff_external_id, starts_at, ends_at)"
                + " VALUES (:appointment_id, :position, :service_external_id, :service_variant_external_id,"
                + " :staff_external_id, :starts_at, :ends_at)");
        for (int i = 0; i < segments.size(); i++) {
            AppointmentSegment s = segments.get(i);
            batch.bind("appointment_id", uuid(appointmentId))
                    .bind("position", integer(i))
                    .bind("service_external_id", text(s.serviceExternalId()))
                    .bind("service_variant_external_id", text(s.serviceVariantExternalId()))
                    .bind("staff_external_id", text(s.staffExternalId()))
                    .bind("starts_at", timestamp(s.start()))
                    .bind("ends_at", timestamp(s.end()))
                    .add();
        }
        batch.execute();
    }

    /** Whole seconds, rounding a sub-second remainder up so a positive duration never stores as 0. */
    private static long seconds(Duration d) {
        return d.getNano() == 0 ? d.getSeconds() : d.getSeconds() + 1;
    }

    private static String zone(ZoneId zone) {
        return zone.getId();
    }

    private static boolean isDataException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Children {
        void replace(Handle h, UUID parentId);
    }

    private static final Children NO_CHILDREN = (h, id) -> {
    };

    private record Write(RecordKind kind, ExternalRef ref, ProviderVersion version, String rawJson, String hash,
            Map<String, Argument> columns, Children children) {
    }

    record Stored(UUID id, String contentHash, Long providerVersion, Instant providerUpdatedAt, Instant deletedAt) {
    }
}
