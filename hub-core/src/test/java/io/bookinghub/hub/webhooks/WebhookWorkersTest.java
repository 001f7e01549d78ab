package io.bookinghub.hub.webhooks;

import static io.bookinghub.hub.webhooks.WebhookKit.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.bookinghub.hub.crypto.MissingKeyException;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inbox processing against a real database: ordering, crashes, concurrency, retries and parking. */
class WebhookWorkersTest {
    private static final String SECRET = "whsec-workers-0123456789";

    private Jdbi jdbi;
    private WebhookKit kit;
    private UUID business;
    private UUID connection;
    private String account;

    @BeforeEach
    void setUp() {
        jdbi = TestDatabase.createMigrated().jdbi();
        kit = new WebhookKit(jdbi);
        business = kit.business();
        account = "acct-" + UUID.randomUUID();
        connection = kit.connection(business, account, SECRET, true);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        kit.close();
    }

    private void accept(String id, String type, String appointment, long version, String note) {
        assertThat(kit.postSigned(SECRET, event(id, type, account, appointment, version, note)).status())
                .isEqualTo(200);
    }

    private Map<String, Object> appointment(String externalId) {
        return kit.rows("SELECT business_note, provider_version FROM appointments WHERE business_id = '" + business
                + "' AND external_id = '" + externalId + "'").get(0);
    }

    private String status(String eventId) {
        return (String) kit.rows("SELECT status FROM webhook_inbox WHERE event_id = '" + eventId + "'").get(0)
                .get("status");
    }

    private long inboxId(String eventId) {
        return kit.count("SELECT id FROM webhook_inbox WHERE event_id = '" + eventId + "'");
    }

    @Test
    void outOfOrderVersionsConvergeToTheNewest() {
        accept("e3", "appointment.updated", "a-1", 3, "v3");
        accept("e1", "appointment.created", "a-1", 1, "v1");
        accept("e2", "appointment.updated", "a-1", 2, "v2");
        assertThat(kit.webhooks.newWorkers("w").drain()).isEqualTo(3);

        assertThat(appointment("a-1")).containsEntry("business_note", "v3").containsEntry("provider_version", 3L);
        assertThat(kit.applies("e1") + kit.applies("e2") + kit.applies("e3")).isEqualTo(3);
        assertThat(status("e1")).isEqualTo("DONE");
        assertThat(status("e3")).isEqualTo("DONE");
        // e3 was applied first; the older e1 and e2 changed nothing, and say so.
        assertThat(note("e1")).isEqualTo("ignored as stale: the stored record is newer");
        assertThat(note("e2")).isEqualTo("ignored as stale: the stored record is newer");
        assertThat(note("e3")).isNull();
    }

    private String note(String eventId) {
        return (String) kit.rows("SELECT last_error FROM webhook_inbox WHERE event_id = '" + eventId + "'").get(0)
                .get("last_error");
    }

    @Test
    void updateBeforeCreateConverges() {
        accept("u2", "appointment.updated", "a-2", 2, "updated");
        kit.webhooks.newWorkers("w").drain();
        accept("c1", "appointment.created", "a-2", 1, "created");
        kit.webhooks.newWorkers("w").drain();
        assertThat(appointment("a-2")).containsEntry("business_note", "updated").containsEntry("provider_version", 2L);
    }

    @Test
    void eventsAcknowledgedBeforeACrashAreAppliedExactlyOnceAfterRestart() throws Exception {
        for (int i = 0; i < 5; i++) {
            accept("crash-" + i, "appointment.created", "c-" + i, 1, "n" + i);
        }
        // The first "process" dies right after acknowledging: nothing in memory survives, only the inbox.
        kit.close();

        WebhookKit restarted = new WebhookKit(jdbi);
        restarted.secrets.putAll(kit.secrets);
        WebhookWorkers workers = restarted.webhooks.newWorkers("restarted");
        workers.start();
        try {
            awaitNoPending();
        } finally {
            workers.stop();
            restarted.close();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(restarted.applies("crash-" + i)).isEqualTo(1);
            assertThat(status("crash-" + i)).isEqualTo("DONE");
        }
        kit = new WebhookKit(jdbi);
    }

    @Test
    void eventClaimedByAWorkerThatDiedIsReclaimedAfterTheLease() {
        accept("lease-1", "appointment.created", "l-1", 1, "n");
        // A worker claims it and dies before applying.
        WebhookStore store = kit.webhooks.store();
        assertThat(store.claim(kit.clock.instant(), kit.clock.instant().plus(kit.config.getLease().toJavaDuration()), 10,
                5, List.of(), "never-heartbeat")).hasSize(1);
        WebhookWorkers survivor = kit.webhooks.newWorkers("survivor");
        assertThat(survivor.drain()).isZero();
        kit.clock.advance(kit.config.getLease().toJavaDuration().plusSeconds(1));
        assertThat(survivor.drain()).isEqualTo(1);
        assertThat(kit.applies("lease-1")).isEqualTo(1);
        assertThat(status("lease-1")).isEqualTo("DONE");
    }

    @Test
    void twoProcessesDrainingOneInboxApplyEachEventOnce() throws Exception {
        int n = 500;
        for (int i = 0; i < n; i++) {
            accept("bulk-" + i, "appointment.created", "b-" + i, 1, "n");
        }
        // A second, independent subsystem on the same database stands for the other hub process. Both count
        // applies into the kit's map, so a double apply anywhere shows up as 2.
        WebhookWorkers first = kit.webhooks.newWorkers("p1");
        WebhookWorkers second = new WebhooksFeature(jdbi, kit.clock, kit.config, kit.connectors(),
                new RecordStore(jdbi, kit.clock), new MetricRegistry(), HubMetrics.create(), HubTracing.noop())
                .newWorkers("p2");
        first.start();
        second.start();
        try {
            awaitNoPending();
        } finally {
            first.stop();
            second.stop();
        }
        for (int i = 0; i < n; i++) {
            assertThat(kit.applies("bulk-" + i)).as("bulk-" + i).isEqualTo(1);
        }
        assertThat(kit.count("SELECT count(*) FROM webhook_inbox WHERE status = 'DONE'")).isEqualTo(n);
        assertThat(kit.count("SELECT count(*) FROM appointments WHERE business_id = '" + business + "'")).isEqualTo(n);
    }

    @Test
    void failuresRetryWithBackoffThenParkAndAnAdminCanReprocess() {
        accept("p-1", "appointment.created", "p-1", 1, "n");
        kit.applyFailure.set(new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "provider down"));
        WebhookWorkers workers = kit.webhooks.newWorkers("w");

        assertThat(workers.drain()).isEqualTo(1);
        Map<String, Object> row = kit.rows("SELECT * FROM webhook_inbox WHERE event_id = 'p-1'").get(0);
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat((String) row.get("last_error")).contains("PROVIDER_UNAVAILABLE").contains("provider down");
        // Not due before its backoff (10 s, then 20 s).
        assertThat(workers.drain()).isZero();
        kit.clock.advance(Duration.ofSeconds(10));
        assertThat(workers.drain()).isEqualTo(1);
        kit.clock.advance(Duration.ofSeconds(19));
        assertThat(workers.drain()).isZero();
        kit.clock.advance(Duration.ofSeconds(1));
        assertThat(workers.drain()).isEqualTo(1);
        assertThat(status("p-1")).isEqualTo("PARKED");
        kit.clock.advance(Duration.ofHours(1));
        assertThat(workers.drain()).isZero();

        kit.applyFailure.set(null);
        assertThat(kit.webhooks.store().reprocess(inboxId("p-1"), kit.clock.instant())).isTrue();
        assertThat(workers.drain()).isEqualTo(1);
        assertThat(status("p-1")).isEqualTo("DONE");
        assertThat(kit.applies("p-1")).isEqualTo(1);
        assertThat(kit.webhooks.store().reprocess(inboxId("p-1"), kit.clock.instant())).isFalse();
    }

    @Test
    void anErrorInApplyParksThatEventAndTheSameWorkerAppliesTheNext() throws Exception {
        kit.eventFailures.put("overflow", new StackOverflowError());
        kit.eventFailures.put("linkage", new NoClassDefFoundError("com/example/Gone"));
        accept("overflow", "appointment.created", "s-1", 1, "n");
        accept("linkage", "appointment.created", "s-2", 1, "n");
        accept("after", "appointment.created", "s-3", 1, "n");
        // One thread: if an Error ended it, nothing would apply "after".
        kit.config.setWorkerThreads(1);
        WebhookWorkers workers = kit.webhooks.newWorkers("w");
        workers.start();
        try {
            awaitNoPending();
        } finally {
            workers.stop();
        }
        Map<String, Object> overflow = kit.rows("SELECT * FROM webhook_inbox WHERE event_id = 'overflow'").get(0);
        assertThat(overflow.get("status")).isEqualTo("PARKED");
        assertThat(overflow.get("attempts")).isEqualTo(1);
        assertThat(overflow.get("last_error")).isEqualTo("unexpected java.lang.StackOverflowError");
        assertThat(kit.rows("SELECT last_error FROM webhook_inbox WHERE event_id = 'linkage'").get(0))
                .containsEntry("last_error", "unexpected java.lang.NoClassDefFoundError");
        assertThat(status("after")).isEqualTo("DONE");
        assertThat(kit.applies("after")).isEqualTo(1);
        assertThat(kit.metrics.counter("webhooks.unexpectedFailures").getCount()).isEqualTo(2);
    }

    @Test
    void aBurstOfOneConnectionIsAppliedTogetherAndAFailingEventRollsBackOnlyItsGroup() {
        for (int i = 1; i <= 4; i++) {
            accept("burst-" + i, "appointment.created", "b-" + i, 1, "n");
        }
        kit.webhooks.newWorkers("w").drain();
        for (int i = 1; i <= 4; i++) {
            assertThat(status("burst-" + i)).isEqualTo("DONE");
            assertThat(kit.applies("burst-" + i)).isEqualTo(1);
        }
        // Applied in one transaction: the rows were finished at one instant of the same commit.
        assertThat(kit.count("SELECT count(DISTINCT processed_at) FROM webhook_inbox WHERE event_id LIKE 'burst-%'"))
                .isEqualTo(1);

        // A failure in the middle of a group undoes the group; its events then go one by one, so the good ones
        // are DONE with their record stored once, and the bad one is parked as it would be alone.
        kit.eventFailures.put("mid-2", new ConnectorException(ErrorCode.INVALID_INPUT, "bad record"));
        for (int i = 1; i <= 3; i++) {
            accept("mid-" + i, "appointment.created", "m-" + i, 1, "n");
        }
        kit.webhooks.newWorkers("w").drain();
        assertThat(status("mid-1")).isEqualTo("DONE");
        assertThat(status("mid-2")).isEqualTo("PARKED");
        assertThat(status("mid-3")).isEqualTo("DONE");
        assertThat(kit.count("SELECT count(*) FROM appointments WHERE business_id = '" + business
                + "' AND external_id IN ('m-1', 'm-2', 'm-3')")).isEqualTo(2);
        assertThat(kit.rows("SELECT attempts FROM webhook_inbox WHERE event_id = 'mid-1'").get(0))
                .containsEntry("attempts", 1);
    }

    @Test
    void invalidInputParksAtOnce() {
        accept("bad-1", "appointment.created", "x-1", 1, "n");
        kit.applyFailure.set(new ConnectorException(ErrorCode.INVALID_INPUT, "no such field"));
        kit.webhooks.newWorkers("w").drain();
        assertThat(status("bad-1")).isEqualTo("PARKED");
    }

    @Test
    void connectionDisabledBeforeProcessingMarksUnroutedAndReprocessAfterReenablingApplies() {
        accept("d-1", "appointment.created", "d-1", 1, "n");
        jdbi.useHandle(h -> h.execute("UPDATE connections SET enabled = false WHERE id = ?", connection));
        WebhookWorkers workers = kit.webhooks.newWorkers("w");
        workers.drain();
        assertThat(status("d-1")).isEqualTo("UNROUTED");
        assertThat(kit.applies("d-1")).isZero();

        jdbi.useHandle(h -> h.execute("UPDATE connections SET enabled = true WHERE id = ?", connection));
        kit.webhooks.store().reprocess(inboxId("d-1"), kit.clock.instant());
        workers.drain();
        assertThat(status("d-1")).isEqualTo("DONE");
        assertThat(kit.applies("d-1")).isEqualTo(1);
    }

    @Test
    void unroutedEventWithoutConnectionIsRoutedByAccountOnReprocess() {
        byte[] body = event("orphan-1", "appointment.created", "acct-later", "o-1", 1, "n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(kit.post(connection, body, kit.signed(SECRET, kit.clock.instant(), body)).status()).isEqualTo(200);
        assertThat(status("orphan-1")).isEqualTo("UNROUTED");

        UUID later = kit.business();
        UUID laterConnection = kit.connection(later, "acct-later", "later-secret-0001", true);
        kit.webhooks.store().reprocess(inboxId("orphan-1"), kit.clock.instant());
        kit.webhooks.newWorkers("w").drain();
        Map<String, Object> row = kit.rows("SELECT * FROM webhook_inbox WHERE event_id = 'orphan-1'").get(0);
        assertThat(row.get("status")).isEqualTo("DONE");
        assertThat(row.get("business_id")).isEqualTo(later);
        assertThat(row.get("connection_id")).isEqualTo(laterConnection);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        kit.config.setMaxBackoff(io.dropwizard.util.Duration.seconds(60));
        WebhookWorkers workers = kit.webhooks.newWorkers("w");
        assertThat(workers.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(workers.backoff(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(workers.backoff(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(workers.backoff(4)).isEqualTo(Duration.ofSeconds(60));
        assertThat(workers.backoff(40)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void purgeDeletesOldAuditAndFinishedEventsOnly() {
        accept("old-done", "appointment.created", "o-1", 1, "n");
        accept("old-parked", "appointment.created", "o-2", 1, "n");
        WebhookWorkers workers = kit.webhooks.newWorkers("w");
        kit.applyFailure.set(new ConnectorException(ErrorCode.INVALID_INPUT, "bad"));
        jdbi.useHandle(h -> h.execute("UPDATE webhook_inbox SET next_attempt_at = next_attempt_at + interval '1 day' "
                + "WHERE event_id = 'old-done'"));
        workers.drain();
        kit.applyFailure.set(null);
        kit.clock.advance(Duration.ofDays(1));
        workers.drain();
        assertThat(status("old-done")).isEqualTo("DONE");
        assertThat(status("old-parked")).isEqualTo("PARKED");

        kit.clock.advance(Duration.ofDays(30));
        assertThat(workers.purge()).isEqualTo(3);
        assertThat(kit.count("SELECT count(*) FROM webhook_log")).isZero();
        assertThat(kit.count("SELECT count(*) FROM webhook_inbox")).isEqualTo(1);
    }

    @Test
    void aClaimTakesAtMostClaimPerConnectionOfOneConnectionAndServesOthersInTurns() {
        // The flood arrived first: first-in-first-out would give the whole batch to it.
        for (int i = 0; i < 30; i++) {
            accept("flood-" + i, "appointment.created", "f-" + i, 1, "n");
        }
        kit.clock.advance(Duration.ofSeconds(1));
        UUID quietBusiness = kit.business();
        UUID quiet = kit.connection(quietBusiness, "acct-quiet", "quiet-secret-0001", true);
        for (int i = 0; i < 2; i++) {
            assertThat(kit.postSigned("quiet-secret-0001", event("quiet-" + i, "appointment.created", "acct-quiet",
                    "q-" + i, 1, "n")).status()).isEqualTo(200);
        }
        List<InboxRow> batch = kit.webhooks.store().claim(kit.clock.instant(), kit.clock.instant().plusSeconds(60),
                10, 5, List.of(), "n1");
        assertThat(batch).extracting(InboxRow::connectionId)
                .containsExactly(connection, quiet, connection, quiet, connection, connection, connection);
        assertThat(batch).extracting(InboxRow::eventId).startsWith("flood-0", "quiet-0", "flood-1", "quiet-1");
        // A connection the claiming pool holds to its cap is left out altogether.
        assertThat(kit.webhooks.store().claim(kit.clock.instant(), kit.clock.instant().plusSeconds(60), 10, 5,
                List.of(connection), "n1")).isEmpty();
        assertThat(kit.rows("SELECT DISTINCT claimed_by FROM webhook_inbox WHERE attempts = 1"))
                .containsExactly(Map.of("claimed_by", "n1"));
    }

    @Test
    void anApplyThatHangsCostsItsEventARetryNotTheWorker() throws Exception {
        kit.config.setApplyTimeout(io.dropwizard.util.Duration.milliseconds(300));
        kit.config.setWorkerThreads(1);
        CountDownLatch tarpit = new CountDownLatch(1);
        kit.applyGates.put("slow-1", tarpit);
        accept("slow-1", "appointment.created", "h-1", 1, "n");
        UUID otherBusiness = kit.business();
        kit.connection(otherBusiness, "acct-other", "other-secret-0001", true);
        assertThat(kit.postSigned("other-secret-0001", event("other-1", "appointment.created", "acct-other", "o-1", 1,
                "n")).status()).isEqualTo(200);
        WebhookWorkers workers = kit.webhooks.newWorkers("w");
        workers.start();
        try {
            awaitNoPending("other-1");
            // The one worker came back from the hung apply; the event waits for its retry.
            awaitNotLeased("slow-1");
        } finally {
            tarpit.countDown();
            workers.stop();
        }
        assertThat(kit.applies("other-1")).isEqualTo(1);
        Map<String, Object> slow = kit.rows("SELECT * FROM webhook_inbox WHERE event_id = 'slow-1'").get(0);
        assertThat(slow.get("status")).isEqualTo("PENDING");
        assertThat(slow.get("attempts")).isEqualTo(1);
        assertThat((String) slow.get("last_error")).contains("apply did not finish within PT0.3S");
        assertThat(kit.metrics.counter("webhooks.applyTimeouts").getCount()).isEqualTo(1);
        kit.clock.advance(Duration.ofSeconds(10));
        assertThat(kit.webhooks.newWorkers("w2").drain()).isEqualTo(1);
        assertThat(status("slow-1")).isEqualTo("DONE");
    }

    @Test
    void oneConnectionHoldsAtMostMaxWorkersPerConnectionWhileOthersAreServed() throws Exception {
        // Two workers, cap 1: a connection whose applies hang holds one worker; the other serves the rest.
        CountDownLatch tarpit = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            kit.applyGates.put("stuck-" + i, tarpit);
            accept("stuck-" + i, "appointment.created", "st-" + i, 1, "n");
        }
        UUID otherBusiness = kit.business();
        kit.connection(otherBusiness, "acct-free", "free-secret-0001", true);
        for (int i = 0; i < 6; i++) {
            assertThat(kit.postSigned("free-secret-0001", event("free-" + i, "appointment.created", "acct-free",
                    "fr-" + i, 1, "n")).status()).isEqualTo(200);
        }
        WebhookWorkers workers = kit.webhooks.newWorkers("w");
        workers.start();
        try {
            for (int i = 0; i < 6; i++) {
                awaitNoPending("free-" + i);
            }
            assertThat(kit.applyStarts("stuck-0") + kit.applyStarts("stuck-1") + kit.applyStarts("stuck-2")
                    + kit.applyStarts("stuck-3")).isEqualTo(1);
        } finally {
            tarpit.countDown();
            workers.stop();
        }
    }

    @Test
    void claimsOfANodeThatStoppedHeartbeatingAreHandedBackWithinSeconds() {
        accept("orphaned-1", "appointment.created", "or-1", 1, "n");
        accept("orphaned-2", "appointment.created", "or-2", 1, "n");
        // A node registers, claims both and is killed: its heartbeat stops, its claims stay leased.
        WebhookWorkers dead = kit.webhooks.newWorkers("dead");
        dead.heartbeat();
        assertThat(kit.webhooks.store().claim(kit.clock.instant(), kit.clock.instant().plus(kit.config.getLease()
                .toJavaDuration()), 10, 5, List.of(), dead.nodeId())).hasSize(2);
        WebhookWorkers alive = kit.webhooks.newWorkers("alive");
        assertThat(alive.drain()).isZero();
        kit.clock.advance(Duration.ofSeconds(5));
        assertThat(alive.heartbeat()).isZero();
        assertThat(alive.drain()).isZero();

        kit.clock.advance(Duration.ofSeconds(6));
        assertThat(alive.heartbeat()).isEqualTo(2);
        assertThat(kit.rows("SELECT node_id FROM hub_nodes")).containsExactly(Map.of("node_id", alive.nodeId()));
        assertThat(alive.drain()).isEqualTo(2);
        assertThat(status("orphaned-1")).isEqualTo("DONE");
        assertThat(status("orphaned-2")).isEqualTo("DONE");
        // 11 s rather than the 5-minute lease; each claim counted as an attempt, as after a lease.
        assertThat(kit.count("SELECT max(attempts) FROM webhook_inbox")).isEqualTo(2);
    }

    @Test
    void aSecretSealedWithAMissingKeyParksTheEventNamingTheKey() {
        accept("keyless", "appointment.created", "k-1", 1, "n");
        kit.handlerFailures.put(connection, new MissingKeyException("k0ld1d"));
        kit.webhooks.newWorkers("w").drain();
        Map<String, Object> row = kit.rows("SELECT * FROM webhook_inbox WHERE event_id = 'keyless'").get(0);
        assertThat(row.get("status")).isEqualTo("PARKED");
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat((String) row.get("last_error")).startsWith("encryption key 'k0ld1d' is not configured");
    }

    private void awaitNoPending(String eventId) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (!"PENDING".equals(status(eventId))) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(eventId + " not processed");
    }

    private void awaitNotLeased(String eventId) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (kit.rows("SELECT last_error FROM webhook_inbox WHERE event_id = '" + eventId + "'").get(0)
                    .get("last_error") != null) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(eventId + " never failed");
    }

    private void awaitNoPending() throws InterruptedException {
        // Bounded wait for background workers; the assertions that follow are about counts, not time.
        for (int i = 0; i < 1200; i++) {
            if (kit.count("SELECT count(*) FROM webhook_inbox WHERE status = 'PENDING'") == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("inbox not drained");
    }
}
