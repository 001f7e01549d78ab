package io.bookinghub.hub.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.crypto.EncryptionKey;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Credentials at rest, and the lease that makes a token refresh happen once across hub processes. */
class JdbiCredentialStoreTest {
    /** Fingerprint of the endpoint settings the credentials are stored under. */
    private static final String BINDING = "endpoint-settings-1";
    private static final SecretBox BOX = new SecretBox(EncryptionKey.fromBase64(
            Base64.getEncoder().encodeToString(new byte[32])), List.of(), new SecureRandom());

    private static UUID connection(Jdbi jdbi) {
        return TestDatabase.insertConnection(jdbi, "acme");
    }

    @Test
    void manyThreadsInTwoProcessesRefreshExactlyOnce() throws Exception {
        TestDatabase db = TestDatabase.createMigrated();
        // Two Jdbi instances with their own connections stand for two hub processes on one database.
        Jdbi first = db.jdbi();
        Jdbi second = db.jdbi();
        UUID connection = connection(first);
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
        new JdbiCredentialStore(first, new ConnectionSecrets(BOX), clock, connection, BINDING).save(Map.of(
                "access_token", "old-access", "refresh_token", "old-refresh",
                "expires_at", now.minusSeconds(5).toString()));

        AtomicInteger refreshes = new AtomicInteger();
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<String>> tokens = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Jdbi process = i % 2 == 0 ? first : second;
            JdbiCredentialStore store = new JdbiCredentialStore(process, new ConnectionSecrets(BOX), clock, connection, BINDING);
            tokens.add(pool.submit(() -> {
                start.await();
                // What a connector's token manager does: re-check expiry on the freshest values under the lock.
                return store.update(current -> {
                    if (Instant.parse(current.get("expires_at")).isAfter(now)) {
                        return current;
                    }
                    refreshes.incrementAndGet();
                    Map<String, String> next = new HashMap<>(current);
                    next.put("access_token", "new-access-" + refreshes.get());
                    next.put("expires_at", now.plusSeconds(3600).toString());
                    return next;
                }).get("access_token");
            }));
        }
        start.countDown();
        for (Future<String> token : tokens) {
            assertThat(token.get(30, TimeUnit.SECONDS)).isEqualTo("new-access-1");
        }
        pool.shutdown();
        assertThat(refreshes.get()).isEqualTo(1);
        assertThat(new JdbiCredentialStore(second, new ConnectionSecrets(BOX), clock, connection, BINDING).load())
                .containsEntry("refresh_token", "old-refresh").containsEntry("access_token", "new-access-1");
    }

    @Test
    void aRefreshRacingAKilledNodeLosesNoRotatedRefreshTokenAndTheNextRefresherProceedsAfterTheLease()
            throws Exception {
        TestDatabase db = TestDatabase.createMigrated();
        Jdbi killed = db.jdbi();
        Jdbi survivor = db.jdbi();
        UUID connection = connection(killed);
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        MutableClock clock = new MutableClock(now);
        new JdbiCredentialStore(killed, new ConnectionSecrets(BOX), clock, connection, BINDING).save(Map.of(
                "access_token", "a0", "refresh_token", "r0", "expires_at", now.minusSeconds(5).toString()));
        // A stand-in provider that rotates the refresh token on every use and accepts only the latest one.
        RotatingProvider provider = new RotatingProvider("r0");

        // Node 1 takes the lease, reaches the provider and then hangs before its compare-and-set: a killed node.
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Map<String, String>> zombie = pool.submit(() -> new JdbiCredentialStore(killed,
                new ConnectionSecrets(BOX), clock, connection, BINDING).update(current -> {
                    inCall.countDown();
                    await(resume);
                    return Map.of("access_token", "zombie-access", "refresh_token", "zombie-refresh",
                            "expires_at", now.plusSeconds(3600).toString());
                }));
        assertThat(inCall.await(10, TimeUnit.SECONDS)).isTrue();
        // The lease is committed (visible to every process) while its holder is in the call: no transaction is open.
        int leases = killed.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM credentials WHERE lease_owner IS NOT NULL").mapTo(Integer.class).one());
        assertThat(leases).isEqualTo(1);

        // Node 2 comes along once the lease has expired: it proceeds with what is stored, which was never
        // touched by the dead holder, so the refresh token it sends is the one the provider still accepts.
        clock.set(now.plus(JdbiCredentialStore.LEASE).plusSeconds(1));
        Map<String, String> refreshed = new JdbiCredentialStore(survivor, new ConnectionSecrets(BOX), clock, connection,
                BINDING).update(current -> {
                    String rotated = provider.refresh(current.get("refresh_token"));
                    return Map.of("access_token", "a1", "refresh_token", rotated,
                            "expires_at", clock.instant().plusSeconds(3600).toString());
                });
        assertThat(refreshed).containsEntry("refresh_token", "r1");

        // The hung node wakes up late: its compare-and-set fails, it never overwrites the rotated token.
        resume.countDown();
        assertThat(zombie.get(10, TimeUnit.SECONDS)).containsEntry("refresh_token", "r1");
        pool.shutdown();
        Map<String, String> stored = new JdbiCredentialStore(survivor, new ConnectionSecrets(BOX), clock, connection,
                BINDING).load();
        assertThat(stored).containsEntry("access_token", "a1").containsEntry("refresh_token", "r1");
        assertThat(provider.calls()).isEqualTo(1);
        assertThat(provider.accepts(stored.get("refresh_token"))).isTrue();
    }

    @Test
    void aFailingRefreshReleasesTheLeaseAndStoresNothing() {
        TestDatabase db = TestDatabase.createMigrated();
        Jdbi jdbi = db.jdbi();
        UUID connection = connection(jdbi);
        JdbiCredentialStore store = new JdbiCredentialStore(jdbi, new ConnectionSecrets(BOX), Clock.systemUTC(),
                connection, BINDING);
        store.save(Map.of("access_token", "a0", "refresh_token", "r0"));
        assertThatThrownBy(() -> store.update(current -> {
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "token endpoint timed out");
        })).isInstanceOf(ConnectorException.class);
        assertThat(store.load()).containsEntry("refresh_token", "r0");
        // The next refresher does not wait out a lease: it was released.
        assertThat(store.update(current -> Map.of("access_token", "a1", "refresh_token", "r1")))
                .containsEntry("refresh_token", "r1");
    }

    /** A token endpoint that rotates refresh tokens: each use retires the token used. */
    private static final class RotatingProvider {
        private String current;
        private int calls;

        RotatingProvider(String first) {
            current = first;
        }

        synchronized String refresh(String refreshToken) {
            calls++;
            if (!current.equals(refreshToken)) {
                throw new ConnectorException(ErrorCode.AUTH_REQUIRED, "invalid_grant");
            }
            current = "r" + calls;
            return current;
        }

        synchronized boolean accepts(String refreshToken) {
            return current.equals(refreshToken);
        }

        synchronized int calls() {
            return calls;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void credentialsAreCiphertextAtRestAndReauthorizationShowsInTheConnectionsStatus() throws Exception {
        TestDatabase db = TestDatabase.createMigrated();
        Jdbi jdbi = db.jdbi();
        UUID connection = connection(jdbi);
        JdbiCredentialStore store = new JdbiCredentialStore(jdbi, new ConnectionSecrets(BOX), Clock.systemUTC(),
                connection, BINDING);
        store.save(Map.of("access_token", "plain-access-token-value"));
        byte[] stored = jdbi.withHandle(h -> h.createQuery("SELECT ciphertext FROM credentials WHERE connection_id = ?")
                .bind(0, connection).mapTo(byte[].class).one());
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("plain-access-token-value");

        store.markReauthorizationRequired("provider answered invalid_grant");
        assertThat(status(jdbi, connection)).isEqualTo("NEEDS_REAUTHORIZATION");
        // Saving is not enough to call the connection active again: the hub first verifies which account
        // new credentials grant (ConnectionService.completeAuthorization).
        store.save(Map.of("access_token", "fresh"));
        assertThat(status(jdbi, connection)).isEqualTo("NEEDS_REAUTHORIZATION");
    }

    @Test
    void credentialsStoredUnderOtherEndpointSettingsAreNeverHandedOut() {
        TestDatabase db = TestDatabase.createMigrated();
        Jdbi jdbi = db.jdbi();
        UUID connection = connection(jdbi);
        new JdbiCredentialStore(jdbi, new ConnectionSecrets(BOX), Clock.systemUTC(), connection, BINDING)
                .save(Map.of("access_token", "issued-for-the-old-host"));
        JdbiCredentialStore moved = new JdbiCredentialStore(jdbi, new ConnectionSecrets(BOX), Clock.systemUTC(),
                connection, "endpoint-settings-2");
        JdbiCredentialStore original = new JdbiCredentialStore(jdbi, new ConnectionSecrets(BOX), Clock.systemUTC(),
                connection, BINDING);
        assertThat(moved.load()).isEmpty();
        assertThat(original.load()).containsEntry("access_token", "issued-for-the-old-host");
        assertThat(moved.update(current -> {
            assertThat(current).as("a refresh sees nothing to send either").isEmpty();
            return current;
        })).isEmpty();
        assertThat(original.load()).as("an update under the new settings drops the stale tokens").isEmpty();
    }

    private static String status(Jdbi jdbi, UUID connection) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM connections WHERE id = ?")
                .bind(0, connection).mapTo(String.class).one());
    }
}
