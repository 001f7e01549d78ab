package io.bookinghub.hub.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.crypto.EncryptionKey;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.oauth.OAuthStates.InvalidStateException;
import io.bookinghub.hub.oauth.OAuthStates.InvalidStateException.Reason;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthStatesTest {
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final EncryptionKey KEY = EncryptionKey.fromBase64(
            Base64.getEncoder().encodeToString(new byte[32]));

    private final MutableClock clock = new MutableClock(Instant.parse("2030-03-01T10:00:00Z"));
    private final SecretBox box = new SecretBox(KEY, List.of(), new SecureRandom());
    private TestDatabase db;
    private Jdbi jdbi;
    private OAuthStates states;
    private UUID connection;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        db = TestDatabase.createMigrated();
        jdbi = db.jdbi();
        states = new OAuthStates(jdbi, box, clock, new SecureRandom(), TTL);
        connection = insertConnection(jdbi, "oauthy");
    }

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    static UUID insertConnection(Jdbi jdbi, String connectorId) {
        UUID business = UUID.randomUUID();
        UUID connection = UUID.randomUUID();
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) VALUES (?, 'B', 'UTC', ?, ?)",
                    business, at, at);
            h.execute("INSERT INTO connections (id, business_id, connector_id, enabled, status, created_at, updated_at) "
                    + "VALUES (?, ?, ?, true, 'ACTIVE', ?, ?)", connection, business, connectorId, at, at);
        });
        return connection;
    }

    /** Uses the attempt up from the browser that started it. */
    private OAuthStates.Pending consume(OAuthStates.Started started) {
        return states.consume(started.state(), started.browserBinding());
    }

    private List<Map<String, Object>> rows() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM oauth_states").mapToMap().list());
    }

    @Test
    void stateHas256RandomBitsAndOnlyItsHashAndTheSealedVerifierAreStored() {
        OAuthStates.Started started = states.create(connection, null);
        assertThat(started.state()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(started.state())).hasSize(32);
        assertThat(started.toString()).doesNotContain(started.state());

        List<Map<String, Object>> rows = rows();
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat((byte[]) row.get("state_hash")).isEqualTo(OneTimeTokens.hash(started.state()));
        assertThat(row.get("connection_id")).isEqualTo(connection);
        assertThat(row.get("key_id")).isEqualTo(KEY.id());
        assertThat(((java.sql.Timestamp) row.get("expires_at")).toInstant())
                .isEqualTo(clock.instant().plus(TTL));

        OAuthStates.Pending pending = consume(started);
        assertThat(pending.connectionId()).isEqualTo(connection);
        assertThat(Pkce.challenge(pending.codeVerifier())).isEqualTo(started.codeChallenge());
        // The verifier is not stored in the clear.
        assertThat(new String((byte[]) row.get("verifier"), StandardCharsets.ISO_8859_1))
                .doesNotContain(pending.codeVerifier());
        assertThat(pending.toString()).doesNotContain(pending.codeVerifier());
    }

    @Test
    void theBrowserBindingIsRandomAndOnlyItsHashIsStored() {
        OAuthStates.Started started = states.create(connection, null);
        assertThat(started.browserBinding()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(started.state());
        assertThat(Base64.getUrlDecoder().decode(started.browserBinding())).hasSize(32);
        assertThat(started.toString()).doesNotContain(started.browserBinding());
        assertThat((byte[]) rows().get(0).get("browser_hash")).isEqualTo(OneTimeTokens.hash(started.browserBinding()));
        assertThat(states.create(connection, null).browserBinding()).isNotEqualTo(started.browserBinding());
    }

    @Test
    void aCallbackWithoutTheBindingUsesTheStateUpAndNamesItsConnection() {
        OAuthStates.Started started = states.create(connection, null);
        OAuthStates.Started sameTab = states.create(connection, null);
        assertThatThrownBy(() -> states.consume(started.state(), null))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_BROWSER_BINDING);
                    assertThat(e.connectionId()).contains(connection);
                })
                .hasMessageContaining("cookie").hasMessageNotContaining(started.state());
        // Used up: the right browser cannot come back with it either.
        assertThatThrownBy(() -> consume(started))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN));
        // A refused browser does not end the connection's other attempts.
        assertThat(consume(sameTab).connectionId()).isEqualTo(connection);
    }

    @Test
    void anotherBrowsersBindingIsRefused() {
        OAuthStates.Started victim = states.create(connection, null);
        OAuthStates.Started attacker = states.create(insertConnection(jdbi, "oauthy"), null);
        assertThatThrownBy(() -> states.consume(attacker.state(), victim.browserBinding()))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.OTHER_BROWSER);
                    assertThat(e.connectionId()).contains(attacker.connectionId());
                })
                .hasMessageNotContaining(victim.browserBinding());
        assertThatThrownBy(() -> states.consume(victim.state(), "not-a-binding"))
                .isInstanceOfSatisfying(InvalidStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.OTHER_BROWSER));
        assertThat(rows()).isEmpty();
    }

    @Test
    void statesAreUniquePerAttempt() {
        OAuthStates.Started a = states.create(connection, null);
        OAuthStates.Started b = states.create(connection, null);
        assertThat(a.state()).isNotEqualTo(b.state());
        assertThat(a.codeChallenge()).isNotEqualTo(b.codeChallenge());
        assertThat(rows()).hasSize(2);
    }

    @Test
    void aConnectionKeepsOnlyItsNewestOpenAttemptsAndAValidCallbackEndsTheOthers() {
        List<OAuthStates.Started> started = new java.util.ArrayList<>();
        for (int i = 0; i < OAuthStates.MAX_PENDING_PER_CONNECTION + 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            started.add(states.create(connection, null));
        }
        UUID other = insertConnection(jdbi, "oauthy");
        OAuthStates.Started otherAttempt = states.create(other, null);
        assertThat(rows()).hasSize(OAuthStates.MAX_PENDING_PER_CONNECTION + 1);
        // The oldest were dropped, the newest is kept.
        assertThatThrownBy(() -> consume(started.get(0))).isInstanceOf(InvalidStateException.class);

        consume(started.get(started.size() - 2));
        assertThatThrownBy(() -> consume(started.get(started.size() - 1)))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN));
        assertThat(consume(otherAttempt).connectionId()).isEqualTo(other);
    }

    @Test
    void aStateIsSingleUse() {
        OAuthStates.Started started = states.create(connection, null);
        consume(started);
        assertThatThrownBy(() -> consume(started))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN))
                .hasMessageNotContaining(started.state());
        assertThat(rows()).isEmpty();
    }

    @Test
    void unknownMalformedAndMissingStatesAreRefused() {
        states.create(connection, null);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        assertThatThrownBy(() -> states.consume(Base64.getUrlEncoder().withoutPadding().encodeToString(other), null))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN));
        assertThatThrownBy(() -> states.consume("' OR 1=1 --", null))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN));
        assertThatThrownBy(() -> states.consume(null, null))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING));
        assertThatThrownBy(() -> states.consume("", null))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING));
        assertThat(rows()).hasSize(1);
    }

    @Test
    void aStateExpiresAfterTheTtlAndIsGoneAfterwards() {
        OAuthStates.Started justInTime = states.create(connection, null);
        // Another connection's: a valid callback ends the other attempts of its own connection.
        OAuthStates.Started late = states.create(insertConnection(jdbi, "oauthy"), null);
        clock.advance(TTL.minusSeconds(1));
        assertThat(consume(justInTime).connectionId()).isEqualTo(connection);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> consume(late))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
        assertThat(rows()).isEmpty();
    }

    @Test
    void expiredAttemptsArePurgedWhenNewOnesStart() {
        states.create(connection, null);
        states.create(connection, null);
        clock.advance(TTL.plusSeconds(1));
        OAuthStates.Started fresh = states.create(connection, null);
        assertThat(rows()).hasSize(1);
        assertThat((byte[]) rows().get(0).get("state_hash")).isEqualTo(OneTimeTokens.hash(fresh.state()));
        clock.advance(TTL);
        assertThat(states.purgeExpired()).isEqualTo(1);
    }

    @Test
    void aVerifierMovedToAnotherRowDoesNotOpen() {
        OAuthStates.Started a = states.create(connection, null);
        OAuthStates.Started b = states.create(connection, null);
        jdbi.useHandle(h -> h.execute("UPDATE oauth_states SET verifier = (SELECT verifier FROM oauth_states "
                + "WHERE state_hash = ?) WHERE state_hash = ?", OneTimeTokens.hash(a.state()), OneTimeTokens.hash(b.state())));
        assertThatThrownBy(() -> consume(b)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void twoHubProcessesRacingForOneStateLetExactlyOneWin() throws Exception {
        // Two independent Jdbi instances (separate pools), as two hub processes would have.
        OAuthStates other = new OAuthStates(db.jdbi(), box, clock, new SecureRandom(), TTL);
        pool = Executors.newFixedThreadPool(8);
        for (int round = 0; round < 20; round++) {
            OAuthStates.Started started = states.create(connection, null);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                OAuthStates process = i % 2 == 0 ? states : other;
                Callable<Boolean> attempt = () -> {
                    go.await();
                    try {
                        process.consume(started.state(), started.browserBinding());
                        return true;
                    } catch (InvalidStateException e) {
                        return false;
                    }
                };
                results.add(pool.submit(attempt));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void stateRowsGoWithTheirConnection() {
        states.create(connection, null);
        jdbi.useHandle(h -> h.execute("DELETE FROM connections WHERE id = ?", connection));
        assertThat(rows()).isEmpty();
    }
}
