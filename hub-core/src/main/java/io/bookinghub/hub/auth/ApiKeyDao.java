package io.bookinghub.hub.auth;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ApiKeyRow.class)
public interface ApiKeyDao {
    String COLUMNS = "id, name, role, business_id, "
            + "ARRAY(SELECT b.business_id FROM api_key_businesses b WHERE b.key_id = api_keys.id ORDER BY 1) "
            + "AS business_ids, scopes, created_at, revoked_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
    Optional<ApiKeyRow> findActiveByHash(@Bind("hash") byte[] hash);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id AND revoked_at IS NULL")
    Optional<ApiKeyRow> findActiveById(@Bind("id") UUID id);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = :hash)")
    boolean existsByHash(@Bind("hash") byte[] hash);

    @SqlQuery("SELECT count(*) FROM api_keys WHERE role = 'hub-admin' AND revoked_at IS NULL")
    int countActiveHubAdmins();

    @SqlUpdate("INSERT INTO api_keys (id, name, key_hash, role, business_id, scopes, created_at) "
            + "VALUES (:id, :name, :hash, :role, :businessId, :scopes, :createdAt)")
    void insert(@Bind("id") UUID id, @Bind("name") String name, @Bind("hash") byte[] hash, @Bind("role") String role,
            @Bind("businessId") UUID businessId, @Bind("scopes") String[] scopes, @Bind("createdAt") Instant createdAt);

    @SqlBatch("INSERT INTO api_key_businesses (key_id, business_id) VALUES (:keyId, :businessId)")
    void bindBusinesses(@Bind("keyId") UUID keyId, @Bind("businessId") Collection<UUID> businessIds);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE CAST(:businessId AS uuid) IS NULL OR business_id = :businessId "
            + "OR EXISTS (SELECT 1 FROM api_key_businesses b WHERE b.key_id = api_keys.id AND b.business_id = :businessId) "
            + "ORDER BY created_at")
    List<ApiKeyRow> list(@Bind("businessId") UUID businessId);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
    Optional<ApiKeyRow> find(@Bind("id") UUID id);

    @SqlUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") UUID id, @Bind("at") Instant at);

    /** Serialises bootstrap across hub processes starting at once. */
    @SqlQuery("SELECT true FROM pg_advisory_xact_lock(734001)")
    boolean lockBootstrap();
}
