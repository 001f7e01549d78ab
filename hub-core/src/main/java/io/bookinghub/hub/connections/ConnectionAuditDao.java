package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The connection's audit trail, {@code api_call_log} and {@code connection_events}: the only SQL that writes
 * or reads them. Everything that happens to a connection (configured, token refreshed, sync failed or
 * abandoned, revoke failed) is recorded through {@link #event}.
 */
@RegisterConstructorMapper(ApiCallView.class)
@RegisterConstructorMapper(ConnectionEventView.class)
public interface ConnectionAuditDao {
    /** Longer texts are cut: a provider's error body must not grow the audit without bound. */
    int MAX_TEXT = 1000;

    /** Records a connection event; type and message are cut to {@link #MAX_TEXT}. */
    default void event(UUID connectionId, Instant at, String type, String message) {
        insertEvent(connectionId, at, truncate(type), truncate(message));
    }

    @SqlUpdate("INSERT INTO connection_events (connection_id, at, type, message) VALUES (:c, :at, :type, :message)")
    void insertEvent(@Bind("c") UUID connectionId, @Bind("at") Instant at, @Bind("type") String type,
            @Bind("message") String message);

    @SqlUpdate("INSERT INTO api_call_log (connection_id, started_at, method, path, status, latency_ms, attempt, error)"
            + " VALUES (:c, :at, :method, :path, :status, :latency, :attempt, :error)")
    void insertApiCall(@Bind("c") UUID connectionId, @Bind("at") Instant startedAt, @Bind("method") String method,
            @Bind("path") String path, @Bind("status") int status, @Bind("latency") long latencyMs,
            @Bind("attempt") int attempt, @Bind("error") String error);

    /** Outbound provider calls, newest first; fetches limit + 1 rows for paging. */
    @SqlQuery("SELECT id, started_at, method, path, status, latency_ms, attempt, error FROM api_call_log"
            + " WHERE connection_id = :c AND (CAST(:afterAt AS timestamptz) IS NULL"
            + " OR (started_at, id) < (:afterAt, :afterId)) ORDER BY started_at DESC, id DESC LIMIT :limit + 1")
    List<ApiCallView> apiCalls(@Bind("c") UUID connectionId, @Bind("afterAt") Instant afterAt,
            @Bind("afterId") Long afterId, @Bind("limit") int limit);

    /** Connection events, newest first; fetches limit + 1 rows for paging. */
    @SqlQuery("SELECT id, at, type, message FROM connection_events WHERE connection_id = :c"
            + " AND (CAST(:afterAt AS timestamptz) IS NULL OR (at, id) < (:afterAt, :afterId))"
            + " ORDER BY at DESC, id DESC LIMIT :limit + 1")
    List<ConnectionEventView> events(@Bind("c") UUID connectionId, @Bind("afterAt") Instant afterAt,
            @Bind("afterId") Long afterId, @Bind("limit") int limit);

    static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
