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
            + "updated_at = excluded.updated_at, binding = excluded.binding")
    void upsert(@Bind("id") UUID connectionId, @Bind("keyId") String keyId, @Bind("ciphertext") byte[] ciphertext,
            @Bind("at") Instant at, @Bind("binding") String binding);

    @SqlUpdate("DELETE FROM credentials WHERE connection_id = :id")
    int delete(@Bind("id") UUID connectionId);

    @SqlQuery("SELECT connection_id, key_id, ciphertext, version, updated_at, binding FROM credentials "
            + "WHERE key_id <> :keyId FOR UPDATE")
    List<CredentialRow> findNotUnderKey(@Bind("keyId") String keyId);

    @SqlUpdate("UPDATE credentials SET key_id = :keyId, ciphertext = :ciphertext WHERE connection_id = :id")
    void reseal(@Bind("id") UUID connectionId, @Bind("keyId") String keyId, @Bind("ciphertext") byte[] ciphertext);
}
