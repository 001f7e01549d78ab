package io.bookinghub.hub.webhooks;

import static io.bookinghub.hub.webhooks.WebhookKit.CONNECTOR;
import static io.bookinghub.hub.webhooks.WebhookKit.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.crypto.MissingKeyException;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Intake against a real database: verification, routing, dedup, audit and the answers a provider gets. */
class WebhookIntakeTest {
    private static final String SECRET = "whsec-salon-one-0123456789";
    private static final Jdbi JDBI = TestDatabase.createMigrated().jdbi();

    private WebhookKit kit;
    private UUID business;
    private UUID connection;
    private String account;

    @BeforeEach
    void setUp() {
        kit = new WebhookKit(JDBI);
        business = kit.business();
        account = "acct-" + UUID.randomUUID();
        connection = kit.connection(business, account, SECRET, true);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        kit.close();
    }

    private static String reason(WebhookIntake.Reply reply) {
        return ((ErrorBody) reply.body()).error();
    }

    private List<Map<String, Object>> log() {
        return kit.rows("SELECT * FROM webhook_log WHERE business_id = '" + business + "' ORDER BY id");
    }

    private long inbox() {
        return kit.count("SELECT count(*) FROM webhook_inbox WHERE business_id = '" + business + "'");
    }

    @Test
    void verifiedEventIsStoredWithAuditBeforeTheAnswer() {
        String body = event("evt-1", "appointment.created", account, "a-1", 1, "first");
        WebhookIntake.Reply reply = kit.postSigned(SECRET, body);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(new WebhookIntake.Ack("accepted", 1, 0));
        Map<String, Object> row = kit.rows("SELECT * FROM webhook_inbox WHERE business_id = '" + business + "'").get(0);
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("connection_id")).isEqualTo(connection);
        assertThat(row.get("dedup_key")).isEqualTo(connection + "/id:evt-1");
        assertThat(row.get("event_type")).isEqualTo("appointment.created");
        assertThat(row.get("account_id")).isEqualTo(account);
        assertThat(row.get("payload").toString()).contains("\"a-1\"");
        Map<String, Object> audit = log().get(0);
        assertThat(audit.get("outcome")).isEqualTo("ACCEPTED");
        assertThat(audit.get("signature_outcome")).isEqualTo("VERIFIED");
        assertThat(audit.get("event_id")).isEqualTo("evt-1");
        assertThat(audit.get("body_size")).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        assertThat(audit.get("inbox_id")).isEqualTo(row.get("id"));
        assertThat(audit.toString()).doesNotContain(SECRET);
    }

    @Test
    void twentyConcurrentCopiesMakeOneInboxRowAndAllAreAcknowledged() throws Exception {
        String body = event("evt-dup", "appointment.updated", account, "a-1", 2, "dup");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = kit.signed(SECRET, kit.clock.instant(), bytes);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<WebhookIntake.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(pool.submit(() -> {
                go.await();
                return kit.post(null, bytes, headers);
            }));
        }
        go.countDown();
        int duplicates = 0;
        for (Future<WebhookIntake.Reply> f : replies) {
            WebhookIntake.Reply r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            duplicates += ((WebhookIntake.Ack) r.body()).duplicates();
        }
        pool.shutdown();
        assertThat(duplicates).isEqualTo(19);
        assertThat(inbox()).isEqualTo(1);
        assertThat(log()).extracting(r -> r.get("outcome")).containsOnly("ACCEPTED", "DUPLICATE").hasSize(20);
        assertThat(log()).filteredOn(r -> r.get("outcome").equals("ACCEPTED")).hasSize(1);

        kit.webhooks.newWorkers("w").drain();
        assertThat(kit.applies("evt-dup")).isEqualTo(1);
    }

    @Test
    void eventWithoutIdIsDeduplicatedOnTheBodyHash() {
        String body = event(null, "appointment.updated", account, "a-9", 1, "no id");
        assertThat(kit.postSigned(SECRET, body).status()).isEqualTo(200);
        kit.clock.advance(Duration.ofSeconds(30));
        WebhookIntake.Reply again = kit.postSigned(SECRET, body);
        assertThat(again.body()).isEqualTo(new WebhookIntake.Ack("accepted", 1, 1));
        assertThat(inbox()).isEqualTo(1);
        assertThat((String) kit.rows("SELECT dedup_key FROM webhook_inbox WHERE business_id = '" + business + "'")
                .get(0).get("dedup_key")).startsWith(connection + "/sha256:").hasSize(36 + 8 + 64);
    }

    @Test
    void theSameEventIdFromTwoConnectionsIsTwoEvents() {
        UUID otherBusiness = kit.business();
        String otherAccount = "acct-" + UUID.randomUUID();
        String otherSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(
                "another-connection-secret-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        kit.connection(otherBusiness, otherAccount, otherSecret, true);

        assertThat(kit.postSigned(SECRET, event("evt-same", "appointment.created", account, "a-1", 1, "mine"))
                .body()).isEqualTo(new WebhookIntake.Ack("accepted", 1, 0));
        assertThat(kit.postSigned(otherSecret, event("evt-same", "appointment.created", otherAccount, "a-1", 1,
                "theirs")).body()).isEqualTo(new WebhookIntake.Ack("accepted", 1, 0));
        assertThat(inbox()).isEqualTo(1);
        assertThat(kit.count("SELECT count(*) FROM webhook_inbox WHERE business_id = '" + otherBusiness + "'"))
                .isEqualTo(1);
    }

    @Test
    void forgedTamperedMissingAndRepeatedSignaturesAre401WithReasonAndAudited() {
        String body = event("evt-f", "appointment.created", account, "a-1", 1, "x");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        WebhookIntake.Reply forged = kit.post(null, bytes, kit.signed("some-other-secret", kit.clock.instant(), bytes));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(reason(forged)).isEqualTo("SIGNATURE_MISMATCH");

        byte[] tampered = body.replace("\"x\"", "\"y\"").getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Reply tamper = kit.post(null, tampered, kit.signed(SECRET, kit.clock.instant(), bytes));
        assertThat(reason(tamper)).isEqualTo("SIGNATURE_MISMATCH");

        // The signature of the pretty-printed body does not cover the compact bytes actually sent.
        byte[] pretty = body.replace(",", ",\n  ").getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Reply prettySigned = kit.post(null, bytes, kit.signed(SECRET, kit.clock.instant(), pretty));
        assertThat(reason(prettySigned)).isEqualTo("SIGNATURE_MISMATCH");

        Map<String, List<String>> none = new HashMap<>(Map.of("Content-Type", List.of("application/json")));
        WebhookIntake.Reply missing = kit.post(null, bytes, none);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(reason(missing)).isEqualTo("MISSING_HEADER");

        String good = WebhookSigner.timestampedHeader(SECRET, kit.clock.instant(), bytes);
        Map<String, List<String>> repeated = Map.of("webhook-signature", List.of(good, good));
        WebhookIntake.Reply rep = kit.post(null, bytes, repeated);
        assertThat(rep.status()).isEqualTo(401);
        assertThat(reason(rep)).isEqualTo("REPEATED_HEADER");

        WebhookIntake.Reply garbage = kit.post(null, bytes, Map.of("Webhook-Signature", List.of("t=abc,v1=zz")));
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(reason(garbage)).isEqualTo("MALFORMED_HEADER");

        assertThat(inbox()).isZero();
        List<Map<String, Object>> audit = log();
        assertThat(audit).hasSize(6).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("REFUSED");
            assertThat(r.get("signature_outcome")).isEqualTo("FAILED");
            assertThat(r.get("http_status")).isEqualTo(401);
            assertThat(r.get("connection_id")).isEqualTo(connection);
        });
        assertThat(audit).extracting(r -> ((String) r.get("reason")).split(":")[0]).containsExactly(
                "SIGNATURE_MISMATCH", "SIGNATURE_MISMATCH", "SIGNATURE_MISMATCH", "MISSING_HEADER", "REPEATED_HEADER",
                "MALFORMED_HEADER");
        assertThat(audit.toString()).doesNotContain(SECRET).doesNotContain(good);
    }

    @Test
    void timestampsOutside300SecondsEitherWayAre401() {
        String body = event("evt-t", "appointment.created", account, "a-1", 1, "x");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (long offset : new long[] {-301, 301}) {
            WebhookIntake.Reply r = kit.post(null, bytes,
                    kit.signed(SECRET, kit.clock.instant().plusSeconds(offset), bytes));
            assertThat(r.status()).isEqualTo(401);
            assertThat(reason(r)).isEqualTo("TIMESTAMP_OUT_OF_TOLERANCE");
        }
        assertThat(kit.post(null, bytes, kit.signed(SECRET, kit.clock.instant().minusSeconds(299), bytes)).status())
                .isEqualTo(200);
        assertThat(log()).extracting(r -> r.get("outcome")).containsExactly("REFUSED", "REFUSED", "ACCEPTED");
    }

    @Test
    void oversizedBodyIs413BeforeVerification() {
        int max = kit.config.getMaxBodyBytes();
        byte[] big = new byte[max + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        WebhookIntake.Reply r = kit.post(null, big, kit.signed(SECRET, kit.clock.instant(), big));
        assertThat(r.status()).isEqualTo(413);
        assertThat(reason(r)).isEqualTo(WebhookIntake.BODY_TOO_LARGE);

        Map<String, List<String>> declared = new HashMap<>(Map.of("Content-Length", List.of("999999999")));
        assertThat(kit.post(null, new byte[0], declared).status()).isEqualTo(413);

        byte[] exact = new byte[max];
        java.util.Arrays.fill(exact, (byte) ' ');
        // Exactly at the cap is read and goes on to verification (and parsing, which fails: blank body).
        WebhookIntake.Reply atCap = kit.post(null, exact, kit.signed(SECRET, kit.clock.instant(), exact));
        assertThat(atCap.status()).isNotEqualTo(413);
        assertThat(kit.rows("SELECT reason, http_status FROM webhook_log WHERE connector_id = 'acme' "
                + "AND outcome = 'REFUSED' AND reason LIKE 'BODY_TOO_LARGE%'")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void verifiedBodyThatIsNotJsonIs400AndAudited() {
        // Routed by the per-connection URL, since a non-JSON body names no account.
        for (String text : new String[] {"this is not json", "{\"type\": \"appointment.updated\", \"acc"}) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            WebhookIntake.Reply r = kit.post(connection, bytes, kit.signed(SECRET, kit.clock.instant(), bytes));
            assertThat(r.status()).isEqualTo(400);
            assertThat(reason(r)).isEqualTo("INVALID_INPUT");
        }
        assertThat(log()).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("INVALID");
            assertThat(r.get("signature_outcome")).isEqualTo("VERIFIED");
            assertThat(r.get("http_status")).isEqualTo(400);
        });
        assertThat(inbox()).isZero();
    }

    @Test
    void unknownAccountIsRefusedAndAuditedWithoutBusiness() {
        String stranger = "acct-unknown-" + UUID.randomUUID();
        WebhookIntake.Reply r = kit.postSigned(SECRET, event("evt-u", "appointment.created", stranger, "a", 1, "x"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(reason(r)).isEqualTo(WebhookIntake.UNKNOWN_ACCOUNT);
        WebhookIntake.Reply noAccount = kit.postSigned(SECRET, "{\"type\":\"ping\"}");
        assertThat(reason(noAccount)).isEqualTo(WebhookIntake.UNKNOWN_ACCOUNT);
        WebhookIntake.Reply wrongConnection = kit.post(UUID.randomUUID(), "{}".getBytes(StandardCharsets.UTF_8),
                kit.signed(SECRET, kit.clock.instant(), "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(reason(wrongConnection)).isEqualTo(WebhookIntake.UNKNOWN_ACCOUNT);

        assertThat(kit.count("SELECT count(*) FROM webhook_log WHERE business_id IS NULL AND outcome = 'REFUSED' "
                + "AND reason LIKE 'UNKNOWN_ACCOUNT%' AND signature_outcome = 'NOT_CHECKED'")).isGreaterThanOrEqualTo(3);
        assertThat(kit.count("SELECT count(*) FROM webhook_inbox WHERE event_id = 'evt-u'")).isZero();
    }

    @Test
    void unknownConnectorIs404AndNotAudited() {
        long before = kit.count("SELECT count(*) FROM webhook_log");
        WebhookIntake.Reply r = kit.webhooks.intake().receive("nope", null, Map.of(),
                new java.io.ByteArrayInputStream(new byte[0]));
        assertThat(r.status()).isEqualTo(404);
        assertThat(kit.count("SELECT count(*) FROM webhook_log")).isEqualTo(before);
    }

    @Test
    void eventsForADisabledConnectionOrAnotherAccountAreKeptAsUnrouted() {
        UUID closed = kit.business();
        String closedAccount = "acct-closed-" + UUID.randomUUID();
        UUID closedConnection = kit.connection(closed, closedAccount, "closed-secret-123", false);
        WebhookIntake.Reply r = kit.postSigned("closed-secret-123",
                event("evt-closed", "appointment.created", closedAccount, "a", 1, "x"));
        assertThat(r.status()).isEqualTo(200);
        Map<String, Object> row = kit.rows("SELECT * FROM webhook_inbox WHERE event_id = 'evt-closed'").get(0);
        assertThat(row.get("status")).isEqualTo("UNROUTED");
        assertThat(row.get("business_id")).isEqualTo(closed);
        assertThat(row.get("connection_id")).isEqualTo(closedConnection);
        assertThat(row.get("last_error")).isEqualTo("connection is disabled");

        // Verified by this connection's secret on its own URL, but about an account nobody connected.
        byte[] other = event("evt-other", "appointment.created", "acct-nobody", "a", 1, "x")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(kit.post(connection, other, kit.signed(SECRET, kit.clock.instant(), other)).status()).isEqualTo(200);
        Map<String, Object> orphan = kit.rows("SELECT * FROM webhook_inbox WHERE event_id = 'evt-other'").get(0);
        assertThat(orphan.get("status")).isEqualTo("UNROUTED");
        assertThat(orphan.get("business_id")).isNull();

        kit.webhooks.newWorkers("w").drain();
        assertThat(kit.applies("evt-closed")).isZero();
        assertThat(kit.applies("evt-other")).isZero();
    }

    @Test
    void refusalsBeyondThePerMinuteCapAreCountedNotStored() throws InterruptedException {
        kit.close();
        kit = new WebhookKit(JDBI, c -> c.setRefusedAuditPerMinute(3));
        business = kit.business();
        account = "acct-capped-" + UUID.randomUUID();
        kit.connection(business, account, SECRET, true);
        byte[] bytes = event("e", "t", account, "a", 1, "x").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10; i++) {
            assertThat(kit.post(null, bytes, Map.of()).status()).isEqualTo(401);
        }
        assertThat(log()).hasSize(3);
        assertThat(kit.webhooks.limiter().dropped()).isEqualTo(7);
        kit.clock.advance(Duration.ofMinutes(1));
        assertThat(kit.post(null, bytes, Map.of()).status()).isEqualTo(401);
        assertThat(log()).hasSize(4);
    }

    @Test
    void aConnectionOverItsIntakeLimitGets429WithRetryAfterWhileOthersAreAccepted() throws InterruptedException {
        kit.close();
        kit = new WebhookKit(JDBI, c -> {
            c.setIntakePerConnectionPerSecond(1);
            c.setIntakeBurstPerConnection(2);
        });
        business = kit.business();
        account = "acct-limited-" + UUID.randomUUID();
        kit.connection(business, account, SECRET, true);
        UUID otherBusiness = kit.business();
        String otherAccount = "acct-other-" + UUID.randomUUID();
        kit.connection(otherBusiness, otherAccount, "whsec-other-0123456789", true);
        // Forged requests naming the account do not use up its budget: the limit applies after verification.
        byte[] forged = event("forged", "t", account, "a", 1, "x").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5; i++) {
            assertThat(kit.post(null, forged, Map.of()).status()).isEqualTo(401);
        }
        assertThat(kit.postSigned(SECRET, event("lim-1", "t", account, "a", 1, "x")).status()).isEqualTo(200);
        assertThat(kit.postSigned(SECRET, event("lim-2", "t", account, "a", 1, "x")).status()).isEqualTo(200);
        WebhookIntake.Reply limited = kit.postSigned(SECRET, event("lim-3", "t", account, "a", 1, "x"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(reason(limited)).isEqualTo("RATE_LIMITED");
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(kit.postSigned("whsec-other-0123456789", event("free-1", "t", otherAccount, "a", 1, "x")).status())
                .isEqualTo(200);

        assertThat(inbox()).isEqualTo(2);
        assertThat(log()).filteredOn(r -> Integer.valueOf(429).equals(r.get("http_status"))).singleElement()
                .satisfies(r -> assertThat((String) r.get("reason")).startsWith("RATE_LIMITED"));
        assertThat(kit.metrics.counter("webhooks.throttled").getCount()).isEqualTo(1);
        kit.clock.advance(Duration.ofSeconds(1));
        assertThat(kit.postSigned(SECRET, event("lim-3", "t", account, "a", 1, "x")).status()).isEqualTo(200);
    }

    @Test
    void theRefusedAuditCapIsCountedPerConnection() throws InterruptedException {
        kit.close();
        kit = new WebhookKit(JDBI, c -> c.setRefusedAuditPerMinute(3));
        business = kit.business();
        account = "acct-noisy-" + UUID.randomUUID();
        kit.connection(business, account, SECRET, true);
        UUID quietBusiness = kit.business();
        String quietAccount = "acct-quiet-" + UUID.randomUUID();
        kit.connection(quietBusiness, quietAccount, "whsec-quiet-0123456789", true);
        byte[] noisy = event("e", "t", account, "a", 1, "x").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10; i++) {
            assertThat(kit.post(null, noisy, Map.of()).status()).isEqualTo(401);
        }
        byte[] quiet = event("e", "t", quietAccount, "a", 1, "x").getBytes(StandardCharsets.UTF_8);
        assertThat(kit.post(null, quiet, Map.of()).status()).isEqualTo(401);
        assertThat(log()).hasSize(3);
        assertThat(kit.count("SELECT count(*) FROM webhook_log WHERE business_id = '" + quietBusiness + "'"))
                .isEqualTo(1);
    }

    @Test
    void aConnectionWhoseSecretsNeedAMissingKeyAnswers503SoTheProviderRetriesLater() {
        kit.handlerFailures.put(connection, new MissingKeyException("k9one"));
        WebhookIntake.Reply r = kit.postSigned(SECRET, event("keyless", "t", account, "a", 1, "x"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(inbox()).isZero();
        // Once the key is configured again, the retry is accepted.
        kit.handlerFailures.clear();
        assertThat(kit.postSigned(SECRET, event("keyless", "t", account, "a", 1, "x")).status()).isEqualTo(200);
    }

    @Test
    void databaseDownAnswers503() throws InterruptedException {
        Jdbi dead = Jdbi.create("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2", "postgres", "");
        dead.installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
        WebhookKit down = new WebhookKit(dead);
        try {
            byte[] bytes = event("e", "t", account, "a", 1, "x").getBytes(StandardCharsets.UTF_8);
            WebhookIntake.Reply r = down.post(null, bytes, down.signed(SECRET, down.clock.instant(), bytes));
            assertThat(r.status()).isEqualTo(503);
            assertThat(reason(r)).isEqualTo("UNAVAILABLE");
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        } finally {
            down.close();
        }
    }

    @Test
    void writerFailureAfterRoutingAnswers503AndNothingIsAcknowledged() throws InterruptedException {
        // Routing read works, but the writer has stopped: the request must not be acknowledged.
        kit.webhooks.stopWriter();
        WebhookIntake.Reply r = kit.postSigned(SECRET, event("evt-503", "appointment.created", account, "a", 1, "x"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(kit.count("SELECT count(*) FROM webhook_inbox WHERE event_id = 'evt-503'")).isZero();
    }

    @Test
    void severalEventsInOneBodyAreStoredSeparately() {
        String body = "[" + event(null, "appointment.created", account, "m-1", 1, "one") + ","
                + event(null, "appointment.created", account, "m-2", 1, "two") + "]";
        WebhookIntake.Reply r = kit.postSigned(SECRET, body);
        assertThat(r.body()).isEqualTo(new WebhookIntake.Ack("accepted", 2, 0));
        assertThat(inbox()).isEqualTo(2);
        assertThat(kit.postSigned(SECRET, body).body()).isEqualTo(new WebhookIntake.Ack("accepted", 2, 2));
        assertThat(CONNECTOR).isEqualTo("acme");
    }
}
