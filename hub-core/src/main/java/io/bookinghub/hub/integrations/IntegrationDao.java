package io.bookinghub.hub.integrations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The operator's stored integration settings and their audit trail. */
public interface IntegrationDao {
    /** One connector's stored settings; {@code secretConfig} is ciphertext. */
    record Row(String connectorId, String config, byte[] secretConfig, String secretKeyId, Instant updatedAt) {
    }

    /** One audited change. */
    record Event(long id, Instant at, String actor, String message) {
    }

    @SqlQuery("SELECT connector_id, config::text AS config, secret_config, secret_key_id, updated_at "
            + "FROM integration_settings WHERE connector_id = :id")
    @RegisterConstructorMapper(Row.class)
    Optional<Row> find(@Bind("id") String connectorId);

    @SqlQuery("SELECT connector_id, config::text AS config, secret_config, secret_key_id, updated_at "
            + "FROM integration_settings WHERE connector_id = :id FOR UPDATE")
    @RegisterConstructorMapper(Row.class)
    Optional<Row> findForUpdate(@Bind("id") String connectorId);

    @SqlQuery("SELECT connector_id, config::text AS config, secret_config, secret_key_id, updated_at "
            + "FROM integration_settings WHERE secret_key_id <> :keyId FOR UPDATE")
    @RegisterConstructorMapper(Row.class)
    List<Row> findNotUnderKey(@Bind("keyId") String keyId);

    @SqlUpdate("INSERT INTO integration_settings (connector_id, config, secret_config, secret_key_id, updated_at) "
            + "VALUES (:id, CAST(:config AS jsonb), :secretConfig, :secretKeyId, :at) ON CONFLICT (connector_id) "
            + "DO UPDATE SET config = excluded.config, secret_config = excluded.secret_config, "
            + "secret_key_id = excluded.secret_key_id, updated_at = excluded.updated_at")
    void upsert(@Bind("id") String connectorId, @Bind("config") String config, @Bind("secretConfig") byte[] secretConfig,
            @Bind("secretKeyId") String secretKeyId, @Bind("at") Instant at);

    @SqlUpdate("UPDATE integration_settings SET secret_config = :secretConfig, secret_key_id = :secretKeyId "
            + "WHERE connector_id = :id")
    void reseal(@Bind("id") String connectorId, @Bind("secretConfig") byte[] secretConfig,
            @Bind("secretKeyId") String secretKeyId);

    @SqlUpdate("INSERT INTO integration_events (connector_id, at, actor, message) VALUES (:id, :at, :actor, :message)")
    void event(@Bind("id") String connectorId, @Bind("at") Instant at, @Bind("actor") String actor,
            @Bind("message") String message);

    @SqlQuery("SELECT id, at, actor, message FROM integration_events WHERE connector_id = :id"
            + " AND (CAST(:afterAt AS timestamptz) IS NULL OR (at, id) < (:afterAt, :afterId))"
            + " ORDER BY at DESC, id DESC LIMIT :limit")
    @RegisterConstructorMapper(Event.class)
    List<Event> events(@Bind("id") String connectorId, @Bind("afterAt") Instant afterAt, @Bind("afterId") Long afterId,
            @Bind("limit") int limit);

    /** Makes every connection of the connector look changed, so each hub node rebuilds its live instance. */
    @SqlUpdate("UPDATE connections SET updated_at = greatest(updated_at + interval '1 microsecond', :at) "
            + "WHERE connector_id = :id")
    int touchConnections(@Bind("id") String connectorId, @Bind("at") Instant at);

    /** The secret's sealing context: a ciphertext moved to another connector's row does not open. */
    static String secretsContext(String connectorId) {
        return "integration-secrets:" + connectorId;
    }
}
