package io.bookinghub.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.testing.TestDatabase;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two hub nodes sharing one database, each with its own key cache and its own controllable time: a key revoked on
 * one is refused there at once and on the other within the cache TTL, and a checked key costs no query.
 */
class ApiKeyCacheTest {
    private static final Duration TTL = Duration.ofSeconds(5);

    private Jdbi jdbi;
    private final AtomicLong timeA = new AtomicLong();
    private final AtomicLong timeB = new AtomicLong();
    private ApiKeys nodeA;
    private ApiKeys nodeB;

    @BeforeEach
    void twoNodes() {
        jdbi = TestDatabase.createMigrated().jdbi();
        nodeA = new ApiKeys(jdbi, Clock.systemUTC(), new SecureRandom(), TTL, timeA::get);
        nodeB = new ApiKeys(jdbi, Clock.systemUTC(), new SecureRandom(), TTL, timeB::get);
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedThereAtOnceAndOnTheOtherWithinTheTtl() {
        ApiKeys.IssuedKey key = nodeA.issue("owner", Role.HUB_ADMIN, null);
        assertThat(nodeA.authenticate(key.token())).isPresent();
        assertThat(nodeB.authenticate(key.token())).isPresent();

        nodeA.revoke(key.id());
        assertThat(nodeA.authenticate(key.token())).as("the revoking node").isEmpty();

        advance(timeB, TTL.minusMillis(1));
        assertThat(nodeB.authenticate(key.token())).as("the other node, within the TTL").isPresent();
        advance(timeB, Duration.ofMillis(1));
        assertThat(nodeB.authenticate(key.token())).as("the other node, once the TTL is over").isEmpty();
    }

    @Test
    void aCheckedKeyIsServedWithoutTheDatabaseUntilTheTtlEnds() {
        ApiKeys.IssuedKey key = nodeA.issue("owner", Role.HUB_ADMIN, null);
        assertThat(nodeB.authenticate(key.token())).isPresent();
        // Revoked behind the hub's back: nothing tells node B, so what it answers comes from its cache.
        jdbi.useHandle(h -> h.execute("UPDATE api_keys SET revoked_at = now()"));
        for (int i = 0; i < 100; i++) {
            assertThat(nodeB.authenticate(key.token())).isPresent();
        }
        advance(timeB, TTL);
        assertThat(nodeB.authenticate(key.token())).isEmpty();
    }

    @Test
    void anUnknownKeyIsCachedAsUnknownButAKeyIssuedOnTheNodeWorksAtOnce() {
        ApiKeys.IssuedKey key = nodeA.issue("owner", Role.BUSINESS_ADMIN, insertBusiness());
        assertThat(nodeA.authenticate(key.token() + "x")).isEmpty();
        assertThat(nodeA.authenticate(key.token())).get().extracting(HubPrincipal::role).isEqualTo(Role.BUSINESS_ADMIN);
    }

    @Test
    void aTtlAboveTheDocumentedBoundIsRefused() {
        assertThatThrownBy(() -> new ApiKeys(jdbi, Clock.systemUTC(), new SecureRandom(), Duration.ofSeconds(6),
                timeA::get)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT5S");
        ApiKeys uncached = new ApiKeys(jdbi, Clock.systemUTC(), new SecureRandom(), Duration.ZERO, timeA::get);
        ApiKeys.IssuedKey key = uncached.issue("owner", Role.HUB_ADMIN, null);
        assertThat(uncached.authenticate(key.token())).isPresent();
        jdbi.useHandle(h -> h.execute("UPDATE api_keys SET revoked_at = now()"));
        assertThat(uncached.authenticate(key.token())).isEmpty();
    }

    private UUID insertBusiness() {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("INSERT INTO businesses (id, name, time_zone, created_at, updated_at)"
                + " VALUES (?, 'Salon', 'Europe/Warsaw', now(), now())", id));
        return id;
    }

    private static void advance(AtomicLong nanos, Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
