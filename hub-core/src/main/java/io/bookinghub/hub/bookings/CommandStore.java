package io.bookinghub.hub.bookings;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * The SQL of the booking command log. A command's changes after its insert are made only by the holder of its
 * claim ({@code claimed_by}, one id per claim), so a worker whose lease ran out and was taken over changes nothing.
 */
final class CommandStore {
    private static final String SELECT = "SELECT " + CommandRow.COLUMNS.replace("request,", "request::text AS request,")
            .replace("transitions,", "transitions::text AS transitions,") + " FROM booking_commands ";
    private static final String LOG_STATE = "transitions = transitions || jsonb_build_array(jsonb_build_object("
            + "'state', CAST(:state AS text), 'at', CAST(:now AS timestamptz), 'note', CAST(:note AS text)))";
    private static final int MAX_ERROR = 1000;

    private final Jdbi jdbi;

    CommandStore(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Inserts a new command, PENDING and claimed by {@code claim} until {@code leaseUntil} (the request that made it
     * sends it at once); or, when the business already has a command with that Idempotency-Key, returns that one
     * unchanged.
     *
     * @return the inserted command, or the existing one (then {@code inserted} is false)
     */
    Inserted insertOrFind(CommandRow row, String claim, Instant leaseUntil) {
        return jdbi.inTransaction(h -> {
            Optional<CommandRow> inserted = h.createQuery("INSERT INTO booking_commands (id, business_id, "
                    + "connection_id, connector_id, kind, idempotency_key, request_hash, request, appointment_external_id, "
                    + "appointment_id, state, attempts, next_attempt_at, claimed_by, lease_until, transitions, created_by, "
                    + "created_at, updated_at) VALUES (:id, :businessId, :connectionId, :connectorId, :kind, :key, :hash, "
                    + "CAST(:request AS jsonb), :externalId, :appointmentId, 'PENDING', 1, :now, :claim, :leaseUntil, "
                    + "jsonb_build_array(jsonb_build_object('state', 'PENDING', 'at', CAST(:now AS timestamptz))), "
                    + ":createdBy, :now, :now) ON CONFLICT (business_id, idempotency_key) DO NOTHING RETURNING id")
                    .bind("id", row.id()).bind("businessId", row.businessId()).bind("connectionId", row.connectionId())
                    .bind("connectorId", row.connectorId()).bind("kind", row.kind().name())
                    .bind("key", row.idempotencyKey()).bind("hash", row.requestHash()).bind("request", row.request())
                    .bind("externalId", row.appointmentExternalId()).bind("appointmentId", row.appointmentId())
                    .bind("now", row.createdAt()).bind("claim", claim).bind("leaseUntil", leaseUntil)
                    .bind("createdBy", row.createdBy()).mapTo(UUID.class).findOne().flatMap(id -> find(h, id));
            if (inserted.isPresent()) {
                return new Inserted(inserted.get(), true);
            }
            return new Inserted(h.createQuery(SELECT + "WHERE business_id = :b AND idempotency_key = :k")
                    .bind("b", row.businessId()).bind("k", row.idempotencyKey()).map(mapper()).one(), false);
        });
    }

    record Inserted(CommandRow row, boolean inserted) {
    }

    Optional<CommandRow> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    private static Optional<CommandRow> find(Handle h, UUID id) {
        return h.createQuery(SELECT + "WHERE id = :id").bind("id", id).map(mapper()).findOne();
    }

    /**
     * Claims due commands (PENDING, SENT or UNKNOWN, due, and not under a live lease) for {@code claim} until
     * {@code leaseUntil}. Rows another worker is claiming right now are skipped, not waited for.
     */
    List<CommandRow> claim(Instant now, Instant leaseUntil, int limit, String claim) {
        return jdbi.withHandle(h -> h.createQuery("WITH due AS (SELECT id FROM booking_commands "
                + "WHERE state IN ('PENDING', 'SENT', 'UNKNOWN') AND next_attempt_at <= :now "
                + "AND (lease_until IS NULL OR lease_until <= :now) ORDER BY next_attempt_at, id LIMIT :limit "
                + "FOR UPDATE SKIP LOCKED) UPDATE booking_commands c SET claimed_by = :claim, lease_until = :leaseUntil, "
                + "attempts = c.attempts + 1, updated_at = :now FROM due WHERE c.id = due.id RETURNING c.id")
                .bind("now", now).bind("leaseUntil", leaseUntil).bind("limit", limit).bind("claim", claim)
                .mapTo(UUID.class).list().stream().map(id -> find(h, id)).flatMap(Optional::stream).toList());
    }

    /** PENDING or UNKNOWN → SENT, committed before the provider call. False when the claim was lost. */
    boolean markSent(UUID id, String claim, Instant now, String note) {
        return jdbi.withHandle(h -> logged(h, "UPDATE booking_commands SET state = 'SENT', updated_at = :now, "
                + LOG_STATE + " WHERE id = :id AND claimed_by = :claim", CommandState.SENT, now, note)
                .bind("id", id).bind("claim", claim).execute()) == 1;
    }

    /** → UNKNOWN: the outcome is not known; looked up again from {@code nextAttemptAt}, by any node. */
    boolean unknown(UUID id, String claim, Instant now, Instant nextAttemptAt, String error) {
        return jdbi.withHandle(h -> logged(h, "UPDATE booking_commands SET state = 'UNKNOWN', updated_at = :now, "
                + "next_attempt_at = :next, last_error = :error, claimed_by = NULL, lease_until = NULL, " + LOG_STATE
                + " WHERE id = :id AND claimed_by = :claim", CommandState.UNKNOWN, now, truncate(error))
                .bind("next", nextAttemptAt).bind("error", truncate(error)).bind("id", id).bind("claim", claim)
                .execute()) == 1;
    }

    /** → REJECTED with its answer (an error body). */
    boolean reject(UUID id, String claim, Instant now, int status, String response, String errorCode, String error) {
        return jdbi.withHandle(h -> logged(h, "UPDATE booking_commands SET state = 'REJECTED', updated_at = :now, "
                + "finished_at = :now, response_status = :status, response = :response, error_code = :code, "
                + "last_error = :error, claimed_by = NULL, lease_until = NULL, " + LOG_STATE
                + " WHERE id = :id AND claimed_by = :claim", CommandState.REJECTED, now, truncate(error))
                .bind("status", status).bind("response", response).bind("code", errorCode)
                .bind("error", truncate(error)).bind("id", id).bind("claim", claim).execute()) == 1;
    }

    /**
     * → CONFIRMED or RECONCILED, in the caller's transaction (the one that wrote the appointment to the shared
     * model). The answer itself is stored right after ({@link #storeResponse}).
     */
    static boolean confirm(Handle h, UUID id, String claim, CommandState state, String externalId, UUID appointmentId,
            int status, Instant now, String note) {
        return logged(h, "UPDATE booking_commands SET state = :state, updated_at = :now, finished_at = :now, "
                + "appointment_external_id = :externalId, appointment_id = :appointmentId, response_status = :status, "
                + "error_code = NULL, claimed_by = NULL, lease_until = NULL, " + LOG_STATE
                + " WHERE id = :id AND claimed_by = :claim", state, now, note)
                .bind("externalId", externalId).bind("appointmentId", appointmentId).bind("status", status)
                .bind("id", id).bind("claim", claim).execute() == 1;
    }

    /** The first rendering of a confirmed command's answer wins; every retry replays it. */
    void storeResponse(UUID id, String response) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE booking_commands SET response = :response "
                + "WHERE id = :id AND response IS NULL").bind("response", response).bind("id", id).execute());
    }

    /** Ends a claim without a step (stopping): the command is due again now, for any node. */
    void release(UUID id, String claim, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE booking_commands SET claimed_by = NULL, lease_until = NULL, "
                + "next_attempt_at = :now WHERE id = :id AND claimed_by = :claim")
                .bind("now", now).bind("id", id).bind("claim", claim).execute());
    }

    /** A business's commands, newest first, after the cursor (created_at, id) when given. */
    List<CommandRow> list(UUID businessId, CommandState state, Instant afterCreated, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append("WHERE business_id = :b");
        if (state != null) {
            sql.append(" AND state = :state");
        }
        if (afterId != null) {
            sql.append(" AND (created_at, id) < (:afterCreated, :afterId)");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("b", businessId).bind("limit", limit);
            if (state != null) {
                query.bind("state", state.name());
            }
            if (afterId != null) {
                query.bind("afterCreated", afterCreated).bind("afterId", afterId);
            }
            return query.map(mapper()).list();
        });
    }

    private static Update logged(Handle h, String sql, CommandState state, Instant now, String note) {
        return h.createUpdate(sql).bind("state", state.name()).bind("now", now).bind("note", note);
    }

    private static RowMapper<CommandRow> mapper() {
        return ConstructorMapper.of(CommandRow.class);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }
}
