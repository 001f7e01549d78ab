package io.bookinghub.hub.appwebhooks;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.crypto.SecretBox;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** The endpoints' SQL; secrets are sealed with the hub's key ring and bound to their endpoint's id. */
final class EndpointStore {
    private static final String COLUMNS = "id, owner_key_id, url, event_types, business_ids, secret_key_id, secret,"
            + " previous_secret_key_id, previous_secret, previous_secret_until, status, disabled_reason, disabled_at,"
            + " created_at";
    private static final RowMapper<Endpoint> MAPPER = EndpointStore::map;

    private final Jdbi jdbi;
    private final SecretBox secretBox;

    EndpointStore(Jdbi jdbi, SecretBox secretBox) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.secretBox = requireNonNull(secretBox, "secretBox is null");
    }

    SecretBox.Sealed seal(UUID endpointId, String secret) {
        return secretBox.seal(secret, associatedData(endpointId));
    }

    /** The secrets that sign now: the current one, then the previous one while its overlap lasts. */
    List<String> secrets(Endpoint e, Instant now) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(open(e.id(), e.secret()));
        if (e.previousSecret() != null && e.previousSecretUntil() != null && now.isBefore(e.previousSecretUntil())) {
            secrets.add(open(e.id(), e.previousSecret()));
        }
        return secrets;
    }

    private String open(UUID endpointId, SecretBox.Sealed sealed) {
        return new String(secretBox.open(sealed, associatedData(endpointId)), StandardCharsets.UTF_8);
    }

    void insert(Endpoint e, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO app_webhook_endpoints (id, owner_key_id, url, event_types,"
                        + " business_ids, secret_key_id, secret, status, created_at, updated_at) VALUES (:id, :owner,"
                        + " :url, :types, :businesses, :keyId, :secret, 'active', :now, :now)")
                .bind("id", e.id()).bind("owner", e.ownerKeyId()).bind("url", e.url().toString())
                .bindArray("types", String.class, e.eventTypes()).bindArray("businesses", UUID.class, e.businessIds())
                .bind("keyId", e.secret().keyId()).bind("secret", e.secret().ciphertext()).bind("now", now)
                .execute());
    }

    Optional<Endpoint> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM app_webhook_endpoints WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    /** A page of endpoints (of one owner key, or every endpoint when {@code owner} is null) after a position. */
    List<Endpoint> list(UUID owner, Instant afterCreated, UUID afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM app_webhook_endpoints"
                        + " WHERE (CAST(:owner AS uuid) IS NULL OR owner_key_id = :owner)"
                        + " AND (CAST(:afterCreated AS timestamptz) IS NULL OR (created_at, id) > (:afterCreated, :afterId))"
                        + " ORDER BY created_at, id LIMIT :limit")
                .bind("owner", owner).bind("afterCreated", afterCreated).bind("afterId", afterId).bind("limit", limit)
                .map(MAPPER).list());
    }

    boolean delete(UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM app_webhook_endpoints WHERE id = :id").bind("id", id)
                .execute()) > 0;
    }

    /** Makes {@code secret} the signing secret; the current one keeps signing until {@code previousUntil}. */
    void rotate(UUID id, SecretBox.Sealed secret, Instant previousUntil, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE app_webhook_endpoints SET previous_secret_key_id = secret_key_id,"
                        + " previous_secret = secret, previous_secret_until = :until, secret_key_id = :keyId,"
                        + " secret = :secret, updated_at = :now WHERE id = :id")
                .bind("id", id).bind("until", previousUntil).bind("keyId", secret.keyId())
                .bind("secret", secret.ciphertext()).bind("now", now).execute());
    }

    /** Disables an active endpoint on the caller's handle; false when it was not active (already disabled, gone). */
    boolean disable(Handle h, UUID id, String reason, Instant now) {
        return h.createUpdate("UPDATE app_webhook_endpoints SET status = 'disabled', disabled_reason = :reason,"
                        + " disabled_at = :now, updated_at = :now WHERE id = :id AND status = 'active'")
                .bind("id", id).bind("reason", reason).bind("now", now).execute() > 0;
    }

    /** Enables an endpoint again: its waiting deliveries are sent (oldest first) from the next claim on. */
    void enable(UUID id, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE app_webhook_endpoints SET status = 'active', disabled_reason = NULL,"
                        + " disabled_at = NULL, updated_at = :now WHERE id = :id")
                .bind("id", id).bind("now", now).execute());
    }

    /** The endpoints that receive events now: active, and their key not revoked. */
    List<Endpoint> receiving(Handle h) {
        return h.createQuery("SELECT " + prefixed("e") + " FROM app_webhook_endpoints e JOIN api_keys k"
                + " ON k.id = e.owner_key_id WHERE e.status = 'active' AND k.revoked_at IS NULL").map(MAPPER).list();
    }

    Optional<Endpoint> find(Handle h, UUID id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM app_webhook_endpoints WHERE id = :id").bind("id", id)
                .map(MAPPER).findOne();
    }

    private static String prefixed(String alias) {
        return Arrays.stream(COLUMNS.split(",")).map(c -> alias + "." + c.trim()).reduce((a, b) -> a + ", " + b)
                .orElseThrow();
    }

    private static String associatedData(UUID endpointId) {
        return EndpointSecrets.context(endpointId);
    }

    private static Endpoint map(ResultSet rs, StatementContext ctx) throws SQLException {
        String previousKeyId = rs.getString("previous_secret_key_id");
        byte[] previous = rs.getBytes("previous_secret");
        return new Endpoint(rs.getObject("id", UUID.class), rs.getObject("owner_key_id", UUID.class),
                URI.create(rs.getString("url")), Set.of((String[]) array(rs.getArray("event_types"))),
                Set.of((UUID[]) array(rs.getArray("business_ids"))),
                new SecretBox.Sealed(rs.getString("secret_key_id"), rs.getBytes("secret")),
                previousKeyId == null ? null : new SecretBox.Sealed(previousKeyId, previous),
                instant(rs.getTimestamp("previous_secret_until")), "active".equals(rs.getString("status")),
                rs.getString("disabled_reason"), instant(rs.getTimestamp("disabled_at")),
                instant(rs.getTimestamp("created_at")));
    }

    private static Object[] array(Array array) throws SQLException {
        return (Object[]) array.getArray();
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
