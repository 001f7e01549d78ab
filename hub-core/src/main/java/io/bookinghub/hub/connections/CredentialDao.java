package io.bookinghub.hub.connections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(CredentialRow.class)
public interface CredentialDao {
    @SqlQuery("SELECT connection_id, key_id, ciphertext, version, updated_at, binding FROM credentials "
            + "WHERE connection_id = :id")
    Optional<CredentialRow> find(@Bind("id") UUID connectionId);

    @SqlUpdate("INSERT INTO credentials (connection_id, key_id, ciphertext, version, updated_at, binding) "
            + "VALUES (:id, :keyId, :ciphertext, 1, :at, :binding) ON CONFLICT (connection_id) DO UPDATE SET "
            + "key_id = excluded.key_id, ciphertext = excluded.ciphertext, version = credentials.version + 1, "
            + "updated_at = excluded.updated_at, binding = excluded.binding, lease_owner = NULL, lease_until = NULL")
    void upsert(@Bind("id") UUID connectionId, @Bind("keyId") String keyId, @Bind("ciphertext") byte[] ciphertext,
            @Bind("at") Instant at, @Bind("binding") String binding);

    @SqlUpdate("DELETE FROM credentials WHERE connection_id = :id")
    int delete(@Bind("id") UUID connectionId);

    /** Takes the refresh lease when it is free or expired and the row is still at {@code version}. */
    @SqlQuery("UPDATE credentials SET lease_owner = nextval('credential_lease_owners'), lease_until = :until "
            + "WHERE connection_id = :id AND version = :version AND (lease_until IS NULL OR lease_until <= :now) "
            + "RETURNING lease_owner")
    Optional<Long> takeLease(@Bind("id") UUID connectionId, @Bind("version") long version, @Bind("now") Instant now,
            @Bind("until") Instant until);

    @SqlUpdate("UPDATE credentials SET lease_owner = NULL, lease_until = NULL "
            + "WHERE connection_id = :id AND lease_owner = :owner")
    void releaseLease(@Bind("id") UUID connectionId, @Bind("owner") long owner);

    /** Stores a refresh's result only if nobody changed the row since the lease was taken; frees the lease. */
    @SqlUpdate("UPDATE credentials SET key_id = :keyId, ciphertext = :ciphertext, version = version + 1, "
            + "updated_at = :at, binding = :binding, lease_owner = NULL, lease_until = NULL "
            + "WHERE connection_id = :id AND version = :version")
    int compareAndSet(@Bind("id") UUID connectionId, @Bind("version") long version, @Bind("keyId") String keyId,
            @Bind("ciphertext") byte[] ciphertext, @Bind("at") Instant at, @Bind("binding") String binding);

    @SqlUpdate("DELETE FROM credentials WHERE connection_id = :id AND version = :version")
    int deleteVersion(@Bind("id") UUID connectionId, @Bind("version") long version);

    @SqlUpdate("INSERT INTO credentials (connection_id, key_id, ciphertext, version, updated_at, binding) "
            + "VALUES (:id, :keyId, :ciphertext, 1, :at, :binding) ON CONFLICT (connection_id) DO NOTHING")
    int insertIfAbsent(@Bind("id") UUID connectionId, @Bind("keyId") String keyId, @Bind("ciphertext") byte[] ciphertext,
            @Bind("at") Instant at, @Bind("binding") String binding);

    @SqlQuery("SELECT connection_id, key_id, ciphertext, version, updated_at, binding FROM credentials "
            + "WHERE key_id <> :keyId FOR UPDATE")
    List<CredentialRow> findNotUnderKey(@Bind("keyId") String keyId);

    @SqlUpdate("UPDATE credentials SET key_id = :keyId, ciphertext = :ciphertext WHERE connection_id = :id")
    void reseal(@Bind("id") UUID connectionId, @Bind("keyId") String keyId, @Bind("ciphertext") byte[] ciphertext);
}
