package io.bookinghub.hub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.hub.auth.ApiKeys;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.auth.Scope;
import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.bookinghub.hub.retention.RetentionConfig;
import io.bookinghub.hub.retention.RetentionJob;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Console sessions on a real PostgreSQL with an injected clock: idle expiry, absolute expiry, revoked keys. */
class ConsoleSessionsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T08:00:00Z"));
    private TestDatabase database;
    private Jdbi jdbi;
    private ApiKeys keys;
    private ConsoleSessions sessions;
    private String token;

    @BeforeEach
    void setUp() {
        database = TestDatabase.createMigrated();
        jdbi = database.jdbi();
        keys = new ApiKeys(jdbi, clock, new SecureRandom(), Duration.ZERO, () -> 0L);
        sessions = new ConsoleSessions(jdbi, keys, clock, new SecureRandom(), new ConsoleConfig());
        token = keys.issue("admin", Role.HUB_ADMIN, null).token();
    }

    @Test
    void aSessionLastsWhileUsedAndEndsAfterThirtyIdleMinutes() {
        String session = sessions.signIn(token).orElseThrow();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(session)).as("used every 29 minutes").isPresent();
        }
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.find(session)).isEmpty();
    }

    @Test
    void aSessionEndsTwelveHoursAfterSignInHoweverActive() {
        String session = sessions.signIn(token).orElseThrow();
        for (int i = 0; i < 35; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.find(session)).isPresent();
        }
        clock.advance(Duration.ofMinutes(21));
        assertThat(sessions.find(session)).as("12 h 1 min after sign-in").isEmpty();
    }

    @Test
    void revokingTheKeyEndsItsSessionsAndOnlyAdminKeysSignIn() {
        String session = sessions.signIn(token).orElseThrow();
        assertThat(sessions.find(session).orElseThrow().principal().isHubAdmin()).isTrue();
        UUID keyId = sessions.find(session).orElseThrow().principal().keyId();
        keys.revoke(keyId);
        assertThat(sessions.find(session)).isEmpty();
        assertThat(sessions.signIn(token)).isEmpty();

        UUID business = business();
        assertThat(sessions.signIn(keys.issueApp("app", Set.of(business), Set.of(Scope.READ)).token())).isEmpty();
        assertThat(sessions.signIn("bh_unknown")).isEmpty();
        assertThat(sessions.find("not-a-token")).isEmpty();
    }

    @Test
    void theRetentionJobRemovesEndedSessionsWithTheirUploadsAndExpiredUploads() throws Exception {
        ConsoleSessions.Session ended = sessions.find(sessions.signIn(token).orElseThrow()).orElseThrow();
        UUID business = business();
        ConsoleUploads uploads = new ConsoleUploads(jdbi, clock, 1024);
        uploads.keep(ended, business, "csv-import", null, "a.csv", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        clock.advance(Duration.ofMinutes(20));
        String liveToken = sessions.signIn(token).orElseThrow();
        ConsoleSessions.Session live = sessions.find(liveToken).orElseThrow();
        ConsoleUploads.Upload stale = uploads.keep(live, business, "csv-import", null, "b.csv",
                new ByteArrayInputStream(new byte[] {4}));
        // The first session idles out (30 min) and the second session's upload expires (1 h); the second session
        // stays in use.
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(liveToken)).isPresent();
        }
        RetentionJob job = new RetentionJob(jdbi, clock, new RetentionConfig(),
                new SharedRateBudgets(database.dataSource(), clock));
        Map<String, Integer> deleted = job.runOnce().orElseThrow();
        assertThat(deleted).containsEntry("console_sessions", 1).containsEntry("console_uploads", 1);
        assertThat(uploads.find(live, stale.id(), business, "csv-import")).isEmpty();
        int left = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM console_sessions").mapTo(Integer.class)
                .one());
        assertThat(left).isOne();
    }

    @Test
    void anUploadOverTheLimitIsRefusedAndNotKept() throws Exception {
        ConsoleSessions.Session session = sessions.find(sessions.signIn(token).orElseThrow()).orElseThrow();
        UUID business = business();
        ConsoleUploads uploads = new ConsoleUploads(jdbi, clock, 1024);
        assertThat(uploads.keep(session, business, "csv-import", null, "ok.csv",
                new ByteArrayInputStream(new byte[1024])).body()).hasSize(1024);
        assertThatThrownBy(() -> uploads.keep(session, business, "csv-import", null, "big.csv",
                new ByteArrayInputStream(new byte[1025]))).isInstanceOf(ConsoleUploads.TooLargeException.class)
                .hasMessageContaining("console.maxUploadBytes");
        int kept = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM console_uploads").mapTo(Integer.class)
                .one());
        assertThat(kept).isOne();
    }

    @Test
    void theCsrfTokenIsTheSessionsOwn() {
        ConsoleSessions.Session one = sessions.find(sessions.signIn(token).orElseThrow()).orElseThrow();
        ConsoleSessions.Session two = sessions.find(sessions.signIn(token).orElseThrow()).orElseThrow();
        assertThat(one.csrfMatches(one.csrfToken())).isTrue();
        assertThat(one.csrfMatches(two.csrfToken())).isFalse();
        assertThat(one.csrfMatches(null)).isFalse();
        assertThat(one.csrfMatches("")).isFalse();
    }

    private UUID business() {
        UUID business = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) "
                + "VALUES (?, 'B', 'UTC', now(), now())", business));
        return business;
    }
}
