package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Credentials of one connection, encrypted with AES-256-GCM. {@link #update} takes a lease on the credentials
 * row (committed at once), runs the refresh with no transaction or pooled connection held, and then
 * compare-and-sets the result on the row's version in a short transaction of its own; concurrent refreshes in
 * one process or across hub processes sharing the database happen one after another and each later one sees
 * the first one's result. A lease outlives the longest outbound call the hub allows ({@link #LEASE}), so it
 * only expires when its holder died or hung; then the next refresher takes it over.
 *
 * <p>Credentials are stored with the fingerprint of the endpoint settings in force (base URL, token URL,
 * client id, ...). Under any other fingerprint they read as absent: after the operator changes where the
 * provider lives, no stored token is ever sent to the new host; the connection needs authorizing again.
 */
public final class JdbiCredentialStore implements CredentialStore {
    /** How long a refresh lease lasts: longer than the 60 s the outbound policy lets one call take at most. */
    public static final Duration LEASE = Duration.ofMinutes(2);
    /** First and longest pause between two looks at a lease someone else holds. */
    private static final Duration FIRST_POLL = Duration.ofMillis(20);
    private static final Duration LONGEST_POLL = Duration.ofMillis(500);
    /** How often storing a refresh's result is tried: a rotated refresh token must not be lost to one blip. */
    private static final int STORE_ATTEMPTS = 3;

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
        return handle.attach(CredentialDao.class).find(connectionId).map(this::credentials).orElse(Map.of());
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
        requireNonNull(update, "update is null");
        Lease lease = acquireLease();
        Map<String, String> current = lease.credentials();
        Map<String, String> next;
        try {
            next = update.apply(current);
        } catch (RuntimeException | Error e) {
            release(lease);
            throw e;
        }
        if (next == null || next.isEmpty()) {
            return storeResult(lease, Map.of());
        }
        if (next.equals(current)) {
            release(lease);
            return Map.copyOf(current);
        }
        return storeResult(lease, Map.copyOf(next));
    }

    /**
     * A lease this caller holds: its owner id (or none when there is no row to lease: nothing is stored, so
     * nothing can be refreshed twice), the version of the row it was taken on, and what that row held.
     */
    private record Lease(Optional<Long> owner, long version, Map<String, String> credentials) {
    }

    private Lease acquireLease() {
        Duration pause = FIRST_POLL;
        Duration waited = Duration.ZERO;
        // Bounded by pauses summed rather than by the clock, so a frozen test clock cannot wait forever.
        Duration patience = LEASE.plus(LEASE);
        while (true) {
            Instant now = clock.instant();
            Optional<Lease> taken = jdbi.inTransaction(handle -> {
                Optional<CredentialRow> row = handle.attach(CredentialDao.class).find(connectionId);
                if (row.isEmpty()) {
                    return Optional.of(new Lease(Optional.empty(), 0, Map.of()));
                }
                return handle.attach(CredentialDao.class)
                        .takeLease(connectionId, row.get().version(), now, now.plus(LEASE))
                        .map(owner -> new Lease(Optional.of(owner), row.get().version(), credentials(row.get())));
            });
            if (taken.isPresent()) {
                return taken.get();
            }
            if (waited.compareTo(patience) >= 0) {
                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE,
                        "The credentials are being refreshed by another caller for too long; retry later");
            }
            sleep(pause);
            waited = waited.plus(pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
        }
    }

    private Map<String, String> credentials(CredentialRow row) {
        return binding.equals(row.binding())
                ? secrets.open(row.keyId(), row.ciphertext(), ConnectionSecrets.credentialsContext(connectionId))
                : Map.of();
    }

    /**
     * Compare-and-set straight after the refresh, in its own short transaction, tried a few times: the provider
     * may already have retired the old refresh token, so losing the new one to a blip would strand the
     * connection. When the row moved on meanwhile (a newer refresh or a new authorization), it wins.
     */
    private Map<String, String> storeResult(Lease lease, Map<String, String> next) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(handle -> {
                    CredentialDao dao = handle.attach(CredentialDao.class);
                    boolean stored;
                    if (lease.owner().isEmpty()) {
                        stored = next.isEmpty() || insertIfAbsent(dao, next);
                    } else if (next.isEmpty()) {
                        stored = dao.deleteVersion(connectionId, lease.version()) > 0;
                    } else {
                        SecretBox.Sealed sealed = secrets.seal(next, ConnectionSecrets.credentialsContext(connectionId));
                        stored = dao.compareAndSet(connectionId, lease.version(), sealed.keyId(), sealed.ciphertext(),
                                clock.instant(), binding) > 0;
                    }
                    return stored ? next : read(handle);
                });
            } catch (JdbiException e) {
                if (attempt >= STORE_ATTEMPTS) {
                    throw e;
                }
                sleep(FIRST_POLL.multipliedBy(attempt));
            }
        }
    }

    private boolean insertIfAbsent(CredentialDao dao, Map<String, String> next) {
        SecretBox.Sealed sealed = secrets.seal(next, ConnectionSecrets.credentialsContext(connectionId));
        return dao.insertIfAbsent(connectionId, sealed.keyId(), sealed.ciphertext(), clock.instant(), binding) > 0;
    }

    private void release(Lease lease) {
        lease.owner().ifPresent(owner -> jdbi.useHandle(handle ->
                handle.attach(CredentialDao.class).releaseLease(connectionId, owner)));
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "Interrupted while waiting for credentials");
        }
    }

    @Override
    public void markReauthorizationRequired(String reason) {
        jdbi.useTransaction(handle -> handle.attach(ConnectionDao.class)
                .markNeedsReauthorization(connectionId, reason, clock.instant()));
    }
}
