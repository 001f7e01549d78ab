package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ConnectionRow.class)
public interface ConnectionDao extends SqlObject {
    String COLUMNS = "id, business_id, connector_id, enabled, config::text AS config, secret_config, secret_key_id, "
            + "status, status_reason, account_id, sync_interval, next_sync_at, created_at, updated_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM connections WHERE business_id = :businessId AND connector_id = :connectorId")
    Optional<ConnectionRow> find(@Bind("businessId") UUID businessId, @Bind("connectorId") String connectorId);

    @SqlQuery("SELECT " + COLUMNS + " FROM connections WHERE business_id = :businessId AND connector_id = :connectorId "
            + "FOR UPDATE")
    Optional<ConnectionRow> findForUpdate(@Bind("businessId") UUID businessId, @Bind("connectorId") String connectorId);

    @SqlQuery("SELECT " + COLUMNS + " FROM connections WHERE id = :id")
    Optional<ConnectionRow> findById(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM connections WHERE business_id = :businessId ORDER BY connector_id")
    List<ConnectionRow> listForBusiness(@Bind("businessId") UUID businessId);

    @SqlQuery("SELECT " + COLUMNS + " FROM connections WHERE enabled ORDER BY created_at")
    List<ConnectionRow> listEnabled();

    @SqlQuery("SELECT " + COLUMNS + " FROM connections WHERE enabled AND connector_id = :connectorId ORDER BY created_at")
    List<ConnectionRow> listEnabledOf(@Bind("connectorId") String connectorId);

    @SqlQuery("SELECT status, count(*) FROM connections GROUP BY status")
    @KeyColumn("status")
    @ValueColumn("count")
    Map<String, Long> countByStatus();

    /** How many connections of a connector are in a status. */
    record StatusCount(String connectorId, String status, long count) {
    }

    @SqlQuery("SELECT connector_id, status, count(*) AS count FROM connections GROUP BY connector_id, status")
    @RegisterConstructorMapper(StatusCount.class)
    List<StatusCount> countByConnectorAndStatus();

    @SqlUpdate("INSERT INTO connections (id, business_id, connector_id, enabled, config, secret_config, secret_key_id, "
            + "status, status_reason, account_id, sync_interval, next_sync_at, created_at, updated_at) "
            + "VALUES (:id, :businessId, :connectorId, true, CAST(:config AS jsonb), :secretConfig, :secretKeyId, "
            + ":status, :statusReason, :accountId, :syncInterval, :nextSyncAt, :at, :at)")
    void insert(@Bind("id") UUID id, @Bind("businessId") UUID businessId, @Bind("connectorId") String connectorId,
            @Bind("config") String config, @Bind("secretConfig") byte[] secretConfig,
            @Bind("secretKeyId") String secretKeyId, @Bind("status") String status,
            @Bind("statusReason") String statusReason, @Bind("accountId") String accountId,
            @Bind("syncInterval") String syncInterval, @Bind("nextSyncAt") Instant nextSyncAt, @Bind("at") Instant at);

    @SqlUpdate("UPDATE connections SET enabled = true, config = CAST(:config AS jsonb), secret_config = :secretConfig, "
            + "secret_key_id = :secretKeyId, status = :status, status_reason = :statusReason, account_id = :accountId, "
            + "sync_interval = :syncInterval, next_sync_at = :nextSyncAt, updated_at = :at WHERE id = :id")
    void update(@Bind("id") UUID id, @Bind("config") String config, @Bind("secretConfig") byte[] secretConfig,
            @Bind("secretKeyId") String secretKeyId, @Bind("status") String status,
            @Bind("statusReason") String statusReason, @Bind("accountId") String accountId,
            @Bind("syncInterval") String syncInterval, @Bind("nextSyncAt") Instant nextSyncAt, @Bind("at") Instant at);

    @SqlUpdate("UPDATE connections SET enabled = false, status = 'DISABLED', status_reason = NULL, next_sync_at = NULL, "
            + "updated_at = :at WHERE id = :id")
    void disable(@Bind("id") UUID id, @Bind("at") Instant at);

    @SqlUpdate("UPDATE connections SET status = :status, status_reason = :reason, updated_at = :at WHERE id = :id")
    int setStatus(@Bind("id") UUID id, @Bind("status") String status, @Bind("reason") String reason,
            @Bind("at") Instant at);

    @SqlUpdate("UPDATE connections SET status = 'NEEDS_REAUTHORIZATION', status_reason = :reason, updated_at = :at "
            + "WHERE id = :id AND enabled AND status = 'ACTIVE'")
    int setNeedsReauthorization(@Bind("id") UUID id, @Bind("reason") String reason, @Bind("at") Instant at);

    /**
     * Records that the provider no longer accepts the connection's credentials. A disabled connection keeps
     * its DISABLED status, and one already waiting keeps its first (most specific) reason. Call inside a
     * transaction.
     */
    default void markNeedsReauthorization(UUID id, String reason, Instant at) {
        if (setNeedsReauthorization(id, reason, at) == 1) {
            getHandle().attach(ConnectionAuditDao.class).event(id, at, "needs-reauthorization", reason);
        }
    }

    /**
     * Binds the provider account verified after an authorization and marks the connection active. The unique
     * index {@code connections_bound_account} refuses an account another enabled connection holds.
     */
    @SqlUpdate("UPDATE connections SET account_id = :account, status = 'ACTIVE', status_reason = NULL, "
            + "updated_at = :at WHERE id = :id")
    void bind(@Bind("id") UUID id, @Bind("account") String account, @Bind("at") Instant at);

    @SqlUpdate("UPDATE connections SET secret_config = :secretConfig, secret_key_id = :secretKeyId WHERE id = :id")
    void reseal(@Bind("id") UUID id, @Bind("secretConfig") byte[] secretConfig, @Bind("secretKeyId") String keyId);

    /** Records which connector version derived the connection's bound account (see V19). */
    @SqlUpdate("UPDATE connections SET account_derived_by = :version WHERE id = :id")
    void accountDerivedBy(@Bind("id") UUID id, @Bind("version") String version);

    /**
     * Enabled connections of a connector whose bound account an other version of it derived. Only the account
     * changes: a concurrent save wins, since it re-derives with the installed plugin anyway.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM connections WHERE connector_id = :connectorId AND enabled "
            + "AND account_id IS NOT NULL AND account_derived_by IS DISTINCT FROM :version ORDER BY id")
    List<ConnectionRow> staleRoutes(@Bind("connectorId") String connectorId, @Bind("version") String version);

    /** Re-binds a re-derived account, only if nothing re-derived it meanwhile (another node, a save). */
    @SqlUpdate("UPDATE connections SET account_id = :account, account_derived_by = :version WHERE id = :id "
            + "AND account_derived_by IS DISTINCT FROM :version")
    int rederived(@Bind("id") UUID id, @Bind("account") String account, @Bind("version") String version);

    @SqlQuery("SELECT id FROM connections WHERE id = :id FOR UPDATE")
    Optional<UUID> lock(@Bind("id") UUID id);

}
