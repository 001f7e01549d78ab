package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.spi.CredentialStore;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Credentials of one connection, encrypted with AES-256-GCM. {@link #update} holds the connection
 * row's lock (SELECT … FOR UPDATE) while it re-reads, computes and writes, so concurrent refreshes in
 * one process or across hub processes sharing the database happen one after another and the second
 * sees the first one's result.
 *
 * <p>Credentials are stored with the fingerprint of the endpoint settings in force (base URL, token URL,
 * client id, ...). Under any other fingerprint they read as absent: after the operator changes where the
 * provider lives, no stored token is ever sent to the new host; the connection needs authorizing again.
 */
public final class JdbiCredentialStore implements CredentialStore {
    private final Jdbi jdbi;
    private final ConnectionSecrets secrets;
    private final Clock clock;
    private final UUID connectionId;
    private final String binding;

    /**
     * @param binding fingerprint of the connection's current endpoint settings
     */
    public JdbiCredentialStore(Jdbi jdbi, ConnectionSecrets secrets, Clock clock, UUID connectionId, String binding) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.clock = clock;
        this.connectionId = connectionId;
        this.binding = requireNonNull(binding, "binding is null");
    }

    @Override
    public Map<String, String> load() {
        return jdbi.withHandle(this::read);
    }

    private Map<String, String> read(Handle handle) {
        return handle.attach(CredentialDao.class).find(connectionId).filter(row -> binding.equals(row.binding()))
                .map(row -> secrets.open(row.keyId(), row.ciphertext(), ConnectionSecrets.credentialsContext(connectionId)))
                .orElse(Map.of());
    }

    @Override
    public void save(Map<String, String> credentials) {
        jdbi.useTransaction(handle -> write(handle, credentials));
    }

    private void write(Handle handle, Map<String, String> credentials) {
        SecretBox.Sealed sealed = secrets.seal(credentials, ConnectionSecrets.credentialsContext(connectionId));
        // The status is not touched here: after an authorization the hub first verifies which provider
        // account the new credentials grant, and only then marks the connection active.
        handle.attach(CredentialDao.class).upsert(connectionId, sealed.keyId(), sealed.ciphertext(), clock.instant(),
                binding);
    }

    @Override
    public void clear() {
        jdbi.useHandle(handle -> handle.attach(CredentialDao.class).delete(connectionId));
    }

    @Override
    public Map<String, String> update(UnaryOperator<Map<String, String>> update) {
        return jdbi.inTransaction(handle -> {
            handle.attach(ConnectionDao.class).lock(connectionId)
                    .orElseThrow(() -> new IllegalStateException("connection " + connectionId + " no longer exists"));
            Map<String, String> current = read(handle);
            Map<String, String> next = update.apply(current);
            if (next == null || next.isEmpty()) {
                handle.attach(CredentialDao.class).delete(connectionId);
                return Map.of();
            }
            if (!next.equals(current)) {
                write(handle, next);
            }
            return Map.copyOf(next);
        });
    }

    @Override
    public void markReauthorizationRequired(String reason) {
        jdbi.useTransaction(handle -> handle.attach(ConnectionDao.class)
                .markNeedsReauthorization(connectionId, reason, clock.instant()));
    }
}
