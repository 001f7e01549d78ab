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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
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
    /** Values one statement binds at most: PostgreSQL's protocol counts them in 16 bits (32,767). */
    private static final int MAX_BIND_VALUES = 30_000;

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
        return write(writeOf(b));
    }

    private Write writeOf(Business b) {
        requireNonNull(b, "business is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(b.name()));
        cols.put("time_zone", text(zone(b.timeZone())));
        cols.put("currency", text(b.currency()));
        return new Write(RecordKind.BUSINESS, b.ref(), ProviderVersion.UNKNOWN, b.rawJson(),
                RecordHasher.hash(b), cols, Children.NONE);
    }

    @Override
    public UpsertOutcome upsert(Location l) {
        return write(writeOf(l));
    }

    private Write writeOf(Location l) {
        requireNonNull(l, "location is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(l.name()));
        cols.put("address", text(l.address()));
        cols.put("time_zone", text(zone(l.timeZone())));
        return new Write(RecordKind.LOCATION, l.ref(), ProviderVersion.UNKNOWN, l.rawJson(),
                RecordHasher.hash(l), cols, Children.NONE);
    }

    @Override
    public UpsertOutcome upsert(StaffMember s) {
        return write(writeOf(s));
    }

    private Write writeOf(StaffMember s) {
        requireNonNull(s, "staffMember is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(s.name()));
        cols.put("email", text(s.email()));
        cols.put("phone", text(s.phone()));
        cols.put("location_external_id", text(s.locationExternalId()));
        cols.put("active", bool(s.active()));
        return new Write(RecordKind.STAFF_MEMBER, s.ref(), ProviderVersion.UNKNOWN, s.rawJson(),
                RecordHasher.hash(s), cols, Children.NONE);
    }

    @Override
    public UpsertOutcome upsert(Service s) {
        return write(writeOf(s));
    }

    private Write writeOf(Service s) {
        requireNonNull(s, "service is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(s.name()));
        cols.put("category", text(s.category()));
        cols.put("description", text(s.description()));
        cols.put("active", bool(s.active()));
        return new Write(RecordKind.SERVICE, s.ref(), s.version(), s.rawJson(), RecordHasher.hash(s), cols,
                variants(s.variants()));
    }

    @Override
    public UpsertOutcome upsert(Client c) {
        return write(writeOf(c));
    }

    private Write writeOf(Client c) {
        requireNonNull(c, "client is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("name", text(c.name()));
        cols.put("email", text(c.email()));
        cols.put("phone", text(c.phone()));
        return new Write(RecordKind.CLIENT, c.ref(), c.version(), c.rawJson(), RecordHasher.hash(c), cols,
                Children.NONE);
    }

    @Override
    public UpsertOutcome upsert(Appointment a) {
        return write(writeOf(a));
    }

    private Write writeOf(Appointment a) {
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
        return new Write(RecordKind.APPOINTMENT, a.ref(), a.version(), a.rawJson(), RecordHasher.hash(a),
                cols, segments(a.segments()));
    }

    @Override
    public UpsertOutcome upsert(AvailabilitySlot s) {
        return write(writeOf(s));
    }

    private Write writeOf(AvailabilitySlot s) {
        requireNonNull(s, "slot is null");
        Map<String, Argument> cols = new LinkedHashMap<>();
        cols.put("staff_external_id", text(s.staffExternalId()));
        cols.put("service_external_id", text(s.serviceExternalId()));
        cols.put("location_external_id", text(s.locationExternalId()));
        cols.put("starts_at", timestamp(s.start()));
        cols.put("ends_at", timestamp(s.end()));
        cols.put("time_zone", text(zone(s.timeZone())));
        return new Write(RecordKind.AVAILABILITY_SLOT, s.ref(), ProviderVersion.UNKNOWN, s.rawJson(),
                RecordHasher.hash(s), cols, Children.NONE);
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

    private void checkConnector(Write w) {
        if (!connectorId.equals(w.ref().connectorId())) {
            throw new IllegalArgumentException("record " + w.kind() + " " + w.ref().externalId() + " is from connector '"
                    + w.ref().connectorId() + "', this sink writes for '" + connectorId + "'");
        }
    }

    private UpsertOutcome store(Write w) {
        checkConnector(w);
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

    /**
     * Upserts {@code records} (model records of any kinds, e.g. one page of a sync) in one READ COMMITTED
     * transaction, with the outcome for each (in order) that one {@code upsert} per record would have had. Per
     * kind it locks the stored rows of the batch in one {@code SELECT ... FOR UPDATE}, decides in Java as the
     * single upsert does, then writes with one JDBC batch per statement (inserts, updates, restores, seen stamps,
     * children). A record inserted meanwhile by a concurrent writer (the insert conflicts) goes through the
     * single-record path in the same transaction. A record repeated in the batch is written after the earlier
     * one, as a second call would be.
     *
     * <p>If PostgreSQL refuses the batch for a payload (a data exception) or a deadlock, the batch is rolled
     * back and written again record by record, so one bad record never fails its neighbours.
     *
     * @param records {@code Business}, {@code Location}, {@code StaffMember}, {@code Service}, {@code Client},
     *                {@code Appointment} or {@code AvailabilitySlot} records
     */
    public List<UpsertOutcome> upsertAll(List<?> records) {
        requireNonNull(records, "records is null");
        List<Write> ws = new ArrayList<>(records.size());
        for (Object record : records) {
            Write w = writeOf(record);
            checkConnector(w);
            ws.add(w);
        }
        if (ws.isEmpty()) {
            return List.of();
        }
        List<String> raws = new ArrayList<>(ws.size());
        ws.forEach(w -> raws.add(w.rawJson() == null ? null : rawEncoder.apply(w.rawJson())));
        List<UpsertOutcome> outcomes;
        try {
            outcomes = jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> writeAll(h, ws, raws));
        } catch (RuntimeException e) {
            if (!isDataException(e) && !hasSqlState(e, "40P01")) {
                throw e;
            }
            outcomes = new ArrayList<>(ws.size());
            for (Write w : ws) {
                outcomes.add(store(w));
            }
        }
        for (UpsertOutcome outcome : outcomes) {
            writes.incrementAndGet();
            if (outcome == UpsertOutcome.STALE) {
                staleWrites.incrementAndGet();
            }
        }
        return outcomes;
    }

    private Write writeOf(Object record) {
        requireNonNull(record, "record is null");
        if (record instanceof Appointment a) {
            return writeOf(a);
        } else if (record instanceof Client c) {
            return writeOf(c);
        } else if (record instanceof AvailabilitySlot s) {
            return writeOf(s);
        } else if (record instanceof Service s) {
            return writeOf(s);
        } else if (record instanceof StaffMember s) {
            return writeOf(s);
        } else if (record instanceof Location l) {
            return writeOf(l);
        } else if (record instanceof Business b) {
            return writeOf(b);
        }
        throw new IllegalArgumentException("not a model record: " + record.getClass().getName());
    }

    private List<UpsertOutcome> writeAll(Handle h, List<Write> ws, List<String> raws) {
        UpsertOutcome[] outcomes = new UpsertOutcome[ws.size()];
        Instant now = clock.instant();
        Map<RecordKind, List<Integer>> byKind = new EnumMap<>(RecordKind.class);
        for (int i = 0; i < ws.size(); i++) {
            byKind.computeIfAbsent(ws.get(i).kind(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<RecordKind, List<Integer>> kind : byKind.entrySet()) {
            // A repeated external id starts a new round, so it sees what the earlier one wrote.
            List<Integer> round = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i : kind.getValue()) {
                if (!ids.add(ws.get(i).ref().externalId())) {
                    writeKind(h, RecordTables.of(kind.getKey()), round, ws, raws, now, outcomes);
                    round = new ArrayList<>();
                    ids.clear();
                    ids.add(ws.get(i).ref().externalId());
                }
                round.add(i);
            }
            writeKind(h, RecordTables.of(kind.getKey()), round, ws, raws, now, outcomes);
        }
        return List.of(outcomes);
    }

    /** Writes records of one kind with distinct external ids; fills in their outcomes. */
    private void writeKind(Handle h, String table, List<Integer> round, List<Write> ws, List<String> raws,
            Instant now, UpsertOutcome[] outcomes) {
        // Sorted, so two batches over overlapping rows lock them in the same order (the lateral join locks each
        // row as the array reaches its id).
        List<String> externalIds = round.stream().map(i -> ws.get(i).ref().externalId()).sorted().toList();
        Map<String, Stored> stored = new HashMap<>();
        // One unique-index probe per id, whatever the table's statistics say: with "external_id = ANY(:ids)" the
        // planner of a never-analysed table (a business's first sync) chose the read index, which holds
        // external_id too but after starts_at, and scanned the business's every row for each page
        // (docs/benchmarks.md section 15).
        h.createQuery("SELECT s.id, s.external_id, s.content_hash, s.provider_version, s.provider_updated_at,"
                        + " s.deleted_at FROM unnest(:ids) AS wanted (external_id) CROSS JOIN LATERAL"
                        + " (SELECT id, external_id, content_hash, provider_version, provider_updated_at, deleted_at"
                        + " FROM " + table + " WHERE business_id = :business_id AND connector_id = :connector_id"
                        + " AND external_id = wanted.external_id FOR UPDATE) AS s")
                .bind("business_id", uuid(businessId))
                .bind("connector_id", text(connectorId))
                .bind("ids", SqlArgs.texts(externalIds))
                .map((rs, ctx) -> Map.entry(rs.getString("external_id"), stored(rs)))
                .forEach(e -> stored.put(e.getKey(), e.getValue()));
        List<Integer> absent = new ArrayList<>();
        Map<UUID, Integer> changed = new LinkedHashMap<>();
        List<UUID> restored = new ArrayList<>();
        List<UUID> seen = new ArrayList<>();
        for (int i : round) {
            Write w = ws.get(i);
            Stored row = stored.get(w.ref().externalId());
            UpsertOutcome outcome = outcome(row, w);
            if (row == null) {
                // The insert decides: a concurrent writer may have inserted the row since the select.
                absent.add(i);
                continue;
            }
            outcomes[i] = outcome;
            if (outcome == UpsertOutcome.UPDATED) {
                if (row.contentHash().equals(w.hash())) {
                    restored.add(row.id());
                } else {
                    changed.put(row.id(), i);
                }
            } else {
                seen.add(row.id());
            }
        }
        insertAll(h, table, absent, ws, raws, now, outcomes);
        Map<UUID, Children> children = new LinkedHashMap<>();
        if (!changed.isEmpty()) {
            PreparedBatch batch = h.prepareBatch(updateSql(table, ws.get(round.get(0))));
            changed.forEach((id, i) -> bindRow(batch, ws.get(i), raws.get(i), now).bind("id", uuid(id)).add());
            batch.execute();
            changed.forEach((id, i) -> children.put(id, ws.get(i).children()));
        }
        if (!restored.isEmpty()) {
            h.createUpdate("UPDATE " + table + " SET deleted_at = NULL, updated_at = :now,"
                            + " last_seen_run = COALESCE(:seen, last_seen_run) WHERE id = ANY(:ids)")
                    .bind("now", timestamp(now))
                    .bind("seen", uuid(seenInRun))
                    .bind("ids", SqlArgs.uuids(restored))
                    .execute();
        }
        if (seenInRun != null && !seen.isEmpty()) {
            h.createUpdate("UPDATE " + table + " SET last_seen_run = :seen WHERE id = ANY(:ids)"
                            + " AND last_seen_run IS DISTINCT FROM :seen")
                    .bind("seen", uuid(seenInRun))
                    .bind("ids", SqlArgs.uuids(seen))
                    .execute();
        }
        children.values().removeIf(c -> !c.exist());
        replaceChildren(h, children);
    }

    /**
     * Inserts the records that had no row, with one multi-row {@code INSERT ... RETURNING} per chunk: one
     * statement for a page instead of one execution per record plus a read-back of the new ids (per-statement
     * overhead was most of PostgreSQL's time in a sync, docs/benchmarks.md section 14). Those whose insert
     * conflicted (a concurrent writer inserted the row since the select) take the single-record path. New rows
     * have no children yet, so theirs are inserted without the DELETE a replacement needs.
     */
    private void insertAll(Handle h, String table, List<Integer> absent, List<Write> ws, List<String> raws,
            Instant now, UpsertOutcome[] outcomes) {
        if (absent.isEmpty()) {
            return;
        }
        Write first = ws.get(absent.get(0));
        int perRow = valuesPerRow(first);
        Map<UUID, Children> fresh = new LinkedHashMap<>();
        for (List<Integer> chunk : chunks(absent, perRow)) {
            List<Argument> values = new ArrayList<>(chunk.size() * perRow);
            for (int i : chunk) {
                values.addAll(rowValues(ws.get(i), raws.get(i), now));
            }
            Map<String, UUID> inserted = new HashMap<>();
            execute(h, insertSql(table, first, chunk.size()), values,
                    rs -> inserted.put(rs.getString("external_id"), SqlArgs.uuid(rs, "id")));
            for (int i : chunk) {
                Write w = ws.get(i);
                UUID id = inserted.get(w.ref().externalId());
                if (id != null) {
                    outcomes[i] = UpsertOutcome.CREATED;
                    fresh.put(id, w.children());
                } else {
                    outcomes[i] = write(h, w, raws.get(i));
                }
            }
        }
        fresh.values().removeIf(c -> !c.exist());
        insertChildren(h, fresh);
    }

    /** {@code items} in chunks small enough that a statement binding {@code perItem} values each stays legal. */
    private static <T> List<List<T>> chunks(List<T> items, int perItem) {
        int size = Math.max(1, MAX_BIND_VALUES / perItem);
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(SqlArgs.uuid(rs, "id"), rs.getString("content_hash"),
                SqlArgs.nullableLong(rs, "provider_version"), SqlArgs.instant(rs, "provider_updated_at"),
                SqlArgs.instant(rs, "deleted_at"));
    }

    private UpsertOutcome write(Handle h, Write w, String raw) {
        String table = RecordTables.of(w.kind());
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            Optional<UUID> created = insert(h, table, w, raw, now);
            if (created.isPresent()) {
                // A row just inserted has no children to replace: no DELETE round trip.
                if (w.children().exist()) {
                    insertChildren(h, Map.of(created.get(), w.children()));
                }
                return UpsertOutcome.CREATED;
            }
            Optional<Stored> found = h.createQuery("SELECT id, content_hash, provider_version, provider_updated_at,"
                            + " deleted_at FROM " + table
                            + " WHERE business_id = :business_id AND connector_id = :connector_id"
                            + " AND external_id = :external_id FOR UPDATE")
                    .bind("business_id", uuid(businessId))
                    .bind("connector_id", text(connectorId))
                    .bind("external_id", text(w.ref().externalId()))
                    .map((rs, ctx) -> stored(rs))
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
            UpsertOutcome outcome = outcome(stored, w);
            if (outcome == UpsertOutcome.UPDATED && stored.contentHash().equals(w.hash())) {
                h.createUpdate("UPDATE " + table + " SET deleted_at = NULL, updated_at = :now,"
                                + " last_seen_run = COALESCE(:seen, last_seen_run) WHERE id = :id")
                        .bind("now", timestamp(now))
                        .bind("seen", uuid(seenInRun))
                        .bind("id", uuid(stored.id()))
                        .execute();
                return UpsertOutcome.UPDATED;
            }
            if (outcome != UpsertOutcome.UPDATED) {
                markSeen(h, table, stored.id());
                return outcome;
            }
            update(h, table, stored.id(), w, raw, now);
            replaceChildren(h, w, stored.id());
            return UpsertOutcome.UPDATED;
        }
    }

    /**
     * What writing {@code w} over the stored row does, the one rule every write path and {@link Classifier} follow:
     * no row, CREATED; the same content, UNCHANGED (UPDATED when the row was soft-deleted: it is restored); older
     * than the row ({@link #isStale}), STALE; otherwise UPDATED.
     */
    private static UpsertOutcome outcome(Stored stored, Write w) {
        if (stored == null) {
            return UpsertOutcome.CREATED;
        }
        if (stored.contentHash().equals(w.hash())) {
            return stored.deletedAt() != null ? UpsertOutcome.UPDATED : UpsertOutcome.UNCHANGED;
        }
        return isStale(stored, w.version()) ? UpsertOutcome.STALE : UpsertOutcome.UPDATED;
    }

    /**
     * A read-only classifier over this sink's business and connector, for dry runs: see {@link Classifier}.
     *
     * @param remembered how many records it classified it remembers as if written (memory stays bounded)
     */
    public Classifier classifier(int remembered) {
        return new Classifier(remembered);
    }

    /**
     * Tells what {@link #upsertAll} would answer for records, without writing or locking anything: the stored rows
     * of a batch are read with one SELECT per kind and decided by the same rule as a write ({@link #outcome}). A
     * record classified CREATED or UPDATED is remembered as if written, so a repeat of it later in the batch or in
     * a later batch is classified as a second write would be (within the last {@code remembered} records). Nothing
     * is locked: a concurrent writer may change the answer before a real import. Not thread-safe.
     */
    public final class Classifier {
        private final Map<String, Stored> written;

        private Classifier(int remembered) {
            if (remembered < 1) {
                throw new IllegalArgumentException("remembered must be at least 1, got " + remembered);
            }
            this.written = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
                    return size() > remembered;
                }
            };
        }

        /** The outcome of each record, in order, as {@link #upsertAll} would answer it now. */
        public List<UpsertOutcome> classifyAll(List<?> records) {
            requireNonNull(records, "records is null");
            List<Write> ws = new ArrayList<>(records.size());
            Map<RecordKind, Set<String>> idsByKind = new EnumMap<>(RecordKind.class);
            for (Object record : records) {
                Write w = writeOf(record);
                checkConnector(w);
                ws.add(w);
                idsByKind.computeIfAbsent(w.kind(), k -> new HashSet<>()).add(w.ref().externalId());
            }
            if (ws.isEmpty()) {
                return List.of();
            }
            Map<String, Stored> stored = handle != null ? readStored(handle, idsByKind)
                    : jdbi.withHandle(h -> readStored(h, idsByKind));
            List<UpsertOutcome> outcomes = new ArrayList<>(ws.size());
            for (Write w : ws) {
                String key = key(w.kind(), w.ref().externalId());
                Stored before = written.containsKey(key) ? written.get(key) : stored.get(key);
                UpsertOutcome outcome = outcome(before, w);
                if (outcome == UpsertOutcome.CREATED || outcome == UpsertOutcome.UPDATED) {
                    written.put(key, new Stored(null, w.hash(), w.version().version(),
                            SqlArgs.micros(w.version().updatedAt()), null));
                }
                outcomes.add(outcome);
            }
            return outcomes;
        }

        private Map<String, Stored> readStored(Handle h, Map<RecordKind, Set<String>> idsByKind) {
            Map<String, Stored> stored = new HashMap<>();
            idsByKind.forEach((kind, ids) -> h.createQuery("SELECT id, external_id, content_hash, provider_version,"
                            + " provider_updated_at, deleted_at FROM " + RecordTables.of(kind)
                            + " WHERE business_id = :business_id AND connector_id = :connector_id"
                            + " AND external_id = ANY(:ids)")
                    .bind("business_id", uuid(businessId))
                    .bind("connector_id", text(connectorId))
                    .bind("ids", SqlArgs.texts(ids))
                    .map((rs, ctx) -> Map.entry(key(kind, rs.getString("external_id")), stored(rs)))
                    .forEach(e -> stored.put(e.getKey(), e.getValue())));
            return stored;
        }

        private static String key(RecordKind kind, String externalId) {
            return kind.name() + '\u001f' + externalId;
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

    /** Inserts one row, unless its key exists: the new row's id, else empty. */
    private Optional<UUID> insert(Handle h, String table, Write w, String raw, Instant now) {
        List<UUID> id = new ArrayList<>(1);
        execute(h, insertSql(table, w, 1), rowValues(w, raw, now), rs -> id.add(SqlArgs.uuid(rs, "id")));
        return id.stream().findFirst();
    }

    /** How many values {@link #rowValues} gives: the key (3), the record's columns, the bookkeeping (7). */
    private static int valuesPerRow(Write w) {
        return w.columns().size() + 10;
    }

    /** The values of one row of {@link #insertSql}, in its column order. */
    private List<Argument> rowValues(Write w, String raw, Instant now) {
        List<Argument> values = new ArrayList<>(valuesPerRow(w));
        values.add(uuid(businessId));
        values.add(text(connectorId));
        values.add(text(w.ref().externalId()));
        values.addAll(w.columns().values());
        values.add(text(raw));
        values.add(text(w.hash()));
        values.add(bigint(w.version().version()));
        values.add(timestamp(w.version().updatedAt()));
        values.add(uuid(seenInRun));
        values.add(timestamp(now));
        values.add(timestamp(now));
        return values;
    }

    /**
     * Inserts {@code rows} rows of {@code w}'s kind with positional values ({@link #rowValues}), skipping keys that
     * exist, and answers the new rows' ids and external ids.
     */
    private static String insertSql(String table, Write w, int rows) {
        String row = "(?, ?, ?, " + "?, ".repeat(w.columns().size()) + "CAST(? AS jsonb), ?, ?, ?, ?, NULL, ?, ?)";
        return "INSERT INTO " + table + " (business_id, connector_id, external_id, "
                + String.join(", ", w.columns().keySet()) + ", raw, content_hash, provider_version, provider_updated_at,"
                + " last_seen_run, deleted_at, created_at, updated_at) VALUES "
                + String.join(", ", Collections.nCopies(rows, row))
                + " ON CONFLICT (business_id, connector_id, external_id) DO NOTHING RETURNING id, external_id";
    }

    private void update(Handle h, String table, UUID id, Write w, String raw, Instant now) {
        bindRow(h.createUpdate(updateSql(table, w)), w, raw, now).bind("id", uuid(id)).execute();
    }

    private static String updateSql(String table, Write w) {
        String sets = w.columns().keySet().stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "));
        return "UPDATE " + table + " SET " + sets + ", raw = CAST(:raw AS jsonb),"
                + " content_hash = :content_hash, provider_version = :provider_version,"
                + " provider_updated_at = :provider_updated_at, last_seen_run = COALESCE(:seen, last_seen_run),"
                + " deleted_at = NULL, updated_at = :now WHERE id = :id";
    }

    /** Binds an update's values of {@code w}: its columns, raw, hash, version, run and time ({@link #updateSql}). */
    private <S extends SqlStatement<S>> S bindRow(S statement, Write w, String raw, Instant now) {
        statement.bind("raw", text(raw))
                .bind("content_hash", text(w.hash()))
                .bind("provider_version", bigint(w.version().version()))
                .bind("provider_updated_at", timestamp(w.version().updatedAt()))
                .bind("seen", uuid(seenInRun))
                .bind("now", timestamp(now));
        w.columns().forEach(statement::bind);
        return statement;
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

    private static void replaceChildren(Handle h, Write w, UUID parentId) {
        if (w.children().exist()) {
            replaceChildren(h, Map.of(parentId, w.children()));
        }
    }

    private static Children variants(List<ServiceVariant> variants) {
        List<Map<String, Argument>> rows = new ArrayList<>(variants.size());
        for (int i = 0; i < variants.size(); i++) {
            ServiceVariant v = variants.get(i);
            Map<String, Argument> row = new LinkedHashMap<>();
            row.put("position", integer(i));
            row.put("external_id", text(v.externalId()));
            row.put("name", text(v.name()));
            row.put("duration_seconds", bigint(seconds(v.duration())));
            row.put("price_amount", numeric(v.price() == null ? null : v.price().amount()));
            row.put("price_currency", text(v.price() == null ? null : v.price().currency()));
            rows.add(row);
        }
        return new Children("service_variants", "service_id", rows);
    }

    private static Children segments(List<AppointmentSegment> segments) {
        List<Map<String, Argument>> rows = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            AppointmentSegment s = segments.get(i);
            Map<String, Argument> row = new LinkedHashMap<>();
            row.put("position", integer(i));
            row.put("service_external_id", text(s.serviceExternalId()));
            row.put("service_variant_external_id", text(s.serviceVariantExternalId()));
            row.put("staff_external_id", text(s.staffExternalId()));
            row.put("starts_at", timestamp(s.start()));
            row.put("ends_at", timestamp(s.end()));
            rows.add(row);
        }
        return new Children("appointment_segments", "appointment_id", rows);
    }

    /**
     * Replaces the child rows of the given parents: one DELETE for all of them, then their rows inserted.
     * Children are written whole on every change of their parent (their content is part of its hash).
     */
    private static void replaceChildren(Handle h, Map<UUID, Children> byParent) {
        if (byParent.isEmpty()) {
            return;
        }
        Children first = byParent.values().iterator().next();
        h.createUpdate("DELETE FROM " + first.table() + " WHERE " + first.parentColumn() + " = ANY(:ids)")
                .bind("ids", SqlArgs.uuids(byParent.keySet()))
                .execute();
        insertChildren(h, byParent);
    }

    /** Inserts the child rows of the given parents (of one table), a multi-row INSERT per chunk. */
    private static void insertChildren(Handle h, Map<UUID, Children> byParent) {
        List<Map.Entry<UUID, Map<String, Argument>>> rows = new ArrayList<>();
        byParent.forEach((parent, children) -> children.rows().forEach(row -> rows.add(Map.entry(parent, row))));
        if (rows.isEmpty()) {
            return;
        }
        Children first = byParent.values().iterator().next();
        Set<String> columns = rows.get(0).getValue().keySet();
        String rowSql = "(?" + ", ?".repeat(columns.size()) + ")";
        for (List<Map.Entry<UUID, Map<String, Argument>>> chunk : chunks(rows, columns.size() + 1)) {
            List<Argument> values = new ArrayList<>(chunk.size() * (columns.size() + 1));
            for (Map.Entry<UUID, Map<String, Argument>> row : chunk) {
                values.add(uuid(row.getKey()));
                values.addAll(row.getValue().values());
            }
            execute(h, "INSERT INTO " + first.table() + " (" + first.parentColumn() + ", " + String.join(", ", columns)
                    + ") VALUES " + String.join(", ", Collections.nCopies(chunk.size(), rowSql)), values, null);
        }
    }

    /**
     * Runs a multi-row statement with positional values on the handle's connection, in its transaction. Plain
     * JDBC on purpose: for a page-sized statement (thousands of values, a text that varies with the row count)
     * Jdbi's SQL parsing and argument binding cost more CPU than PostgreSQL's own work (docs/benchmarks.md,
     * section 14), so these statements also stay out of Jdbi's per-statement timing metrics. Errors name the
     * statement's table, never a bound value; the SQLException (with its SQLState) is the cause, as with Jdbi.
     */
    private static void execute(Handle h, String sql, List<Argument> values, RowConsumer rows) {
        try (PreparedStatement statement = h.getConnection().prepareStatement(sql)) {
            for (int k = 0; k < values.size(); k++) {
                // SqlArgs' arguments only use the statement, never Jdbi's context.
                values.get(k).apply(k + 1, statement, null);
            }
            if (rows == null) {
                statement.executeUpdate();
                return;
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("could not write " + sql.substring(0, sql.indexOf(" (")),
                    e, null);
        }
    }

    private interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Whole seconds, rounding a sub-second remainder up so a positive duration never stores as 0. */
    private static long seconds(Duration d) {
        return d.getNano() == 0 ? d.getSeconds() : d.getSeconds() + 1;
    }

    private static String zone(ZoneId zone) {
        return zone.getId();
    }

    private static boolean isDataException(Throwable e) {
        return hasSqlState(e, "22");
    }

    /** Whether {@code e} or a cause is an SQLException whose SQLState starts with {@code prefix}. */
    private static boolean hasSqlState(Throwable e, String prefix) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The child rows of one parent record (service variants, appointment segments), replaced whole. */
    private record Children(String table, String parentColumn, List<Map<String, Argument>> rows) {
        static final Children NONE = new Children(null, null, List.of());

        boolean exist() {
            return table != null;
        }
    }

    private record Write(RecordKind kind, ExternalRef ref, ProviderVersion version, String rawJson, String hash,
            Map<String, Argument> columns, Children children) {
    }

    record Stored(UUID id, String contentHash, Long providerVersion, Instant providerUpdatedAt, Instant deletedAt) {
    }
}
