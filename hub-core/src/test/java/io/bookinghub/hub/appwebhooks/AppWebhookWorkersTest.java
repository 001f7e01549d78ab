package io.bookinghub.hub.appwebhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.bookinghub.hub.changes.ChangeFixtures.CONNECTOR;
import static io.bookinghub.hub.changes.ChangeFixtures.appointment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.bookinghub.hub.changes.ChangeFeed;
import io.bookinghub.hub.changes.ChangeFixtures;
import io.bookinghub.hub.crypto.EncryptionKey;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.outbound.AllowRule;
import io.bookinghub.hub.outbound.HubOutboundHttp;
import io.bookinghub.hub.outbound.NameLookup;
import io.bookinghub.hub.outbound.OutboundFeature;
import io.bookinghub.hub.outbound.OutboundPolicy;
import io.bookinghub.hub.outbound.ProviderCalls;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.model.RecordKind;
import io.bookinghub.testkit.MutableClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery rules with the clock in the test's hands: per-appointment order, exponential backoff, three days of
 * failure or a 410 disabling the endpoint with an announcement, and nothing dropped. Real PostgreSQL, a real
 * receiver (WireMock), the hub's own outbound client.
 */
class AppWebhookWorkersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.parse("2030-03-01T10:00:00Z"));
    private final SecretBox box = new SecretBox(EncryptionKey.fromBase64(Base64.getEncoder()
            .encodeToString(new byte[32])), List.of(), new SecureRandom());
    private final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    private Jdbi jdbi;
    private UUID business;
    private UUID owner;
    private EndpointStore endpoints;
    private DeliveryStore deliveries;
    private AppWebhookWorkers workers;
    private HubOutboundHttp http;

    @BeforeEach
    void setUp() {
        receiver.start();
        jdbi = TestDatabase.createMigrated().jdbi();
        jdbi.installPlugin(new PostgresPlugin());
        business = ChangeFixtures.newBusiness(jdbi);
        owner = UUID.randomUUID();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_keys (id, name, key_hash, role, created_at, scopes)"
                + " VALUES (:id, 'app', :hash, 'app', now(), ARRAY['write'])").bind("id", owner)
                .bind("hash", UUID.randomUUID().toString().getBytes()).execute());
        endpoints = new EndpointStore(jdbi, box);
        deliveries = new DeliveryStore(jdbi);
        OutboundPolicy policy = new OutboundPolicy(List.of(AllowRule.parse("127.0.0.1:*")), NameLookup.SYSTEM);
        http = new HubOutboundHttp(policy, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(30));
        workers = AppWebhooksFeature.workers(jdbi, clock, new AppWebhooksConfig(), new ChangeFeed(jdbi),
                new OutboundFeature(policy, new ProviderCalls(http, HubMetrics.create(), HubTracing.noop())), endpoints,
                deliveries);
    }

    @AfterEach
    void tearDown() throws Exception {
        receiver.stop();
        http.stop();
    }

    @Test
    void aRecordsEventsGoInOrderBackOffAndThreeDaysOfFailureDisableTheEndpointWithoutLosingAnything() {
        receiver.stubFor(post("/failing").willReturn(aResponse().withStatus(500)));
        receiver.stubFor(post("/watcher").willReturn(aResponse().withStatus(204)));
        Endpoint failing = endpoint("/failing", Set.of("appointment.created", "appointment.updated"));
        Endpoint watcher = endpoint("/watcher", Set.of(EventTypes.ENDPOINT_DISABLED));
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, clock, business, CONNECTOR, null);
        sink.upsert(appointment("a1", 1));
        sink.upsert(appointment("a1", 2));
        sink.upsert(appointment("a2", 1));

        assertThat(workers.fanOut()).isEqualTo(3);
        assertThat(workers.fanOut()).isZero();
        // a1's update waits behind a1's creation; a2 is independent.
        assertThat(workers.deliverDue()).isEqualTo(2);
        assertThat(types(received("/failing"))).containsExactlyInAnyOrder("appointment.created", "appointment.created");
        assertThat(workers.deliverDue()).as("backing off").isZero();

        // Waits of 5 s, 10 s, 20 s ... up to an hour; the deliveries are retried until they are 3 days old.
        int attempts = 1;
        while (clock.instant().isBefore(Instant.parse("2030-03-04T10:00:00Z"))) {
            clock.advance(workers.backoff(attempts));
            assertThat(workers.deliverDue()).isEqualTo(2);
            attempts++;
        }
        assertThat(workers.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(workers.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(workers.backoff(30)).isEqualTo(Duration.ofHours(1));
        assertThat(types(received("/failing"))).hasSize(2 * attempts).containsOnly("appointment.created");

        Endpoint disabled = endpoints.find(failing.id()).orElseThrow();
        assertThat(disabled.active()).isFalse();
        assertThat(disabled.disabledReason()).startsWith("a delivery failed for PT72H (last: HTTP 500)");
        List<Delivery> log = deliveries.list(failing.id(), null, null, 10);
        assertThat(log).extracting(Delivery::status).containsExactlyInAnyOrder("failed", "failed", "pending");
        Delivery held = log.stream().filter(d -> d.status().equals("pending")).findFirst().orElseThrow();
        assertThat(held.eventType()).isEqualTo("appointment.updated");
        assertThat(held.attempts()).isZero();
        Delivery failed = deliveries.find(failing.id(), deliveries.list(failing.id(), null, "failed", 1).get(0).id())
                .orElseThrow();
        assertThat(failed.log()).hasSize(attempts).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(500));

        // The disabling is announced to the key's other endpoint, and nothing more goes to the disabled one.
        assertThat(workers.deliverDue()).isEqualTo(1);
        List<LoggedRequest> announced = received("/watcher");
        assertThat(types(announced)).containsExactly(EventTypes.ENDPOINT_DISABLED);
        assertThat(json(announced.get(0)).at("/data/endpointId").asText()).isEqualTo(failing.id().toString());
        assertThat(watcher.active()).isTrue();

        // Enabled again (the receiver fixed), the held event goes out.
        receiver.stubFor(post("/failing").willReturn(aResponse().withStatus(200)));
        endpoints.enable(failing.id(), clock.instant());
        assertThat(workers.deliverDue()).isEqualTo(1);
        assertThat(deliveries.list(failing.id(), null, "pending", 10)).isEmpty();
        List<LoggedRequest> all = received("/failing");
        assertThat(json(all.get(all.size() - 1)).at("/data/externalId").asText()).isEqualTo("a1");
        assertThat(types(all).get(all.size() - 1)).isEqualTo("appointment.updated");
    }

    @Test
    void a410DisablesTheEndpointAtOnceAndKeepsTheDelivery() {
        receiver.stubFor(post("/gone").willReturn(aResponse().withStatus(410)));
        Endpoint gone = endpoint("/gone", Set.of("appointment.created", "appointment.deleted"));
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, clock, business, CONNECTOR, null);
        sink.upsert(appointment("a1", 1));
        sink.delete(RecordKind.APPOINTMENT, "a1");
        assertThat(workers.fanOut()).isEqualTo(2);

        assertThat(workers.deliverDue()).isEqualTo(1);
        Endpoint after = endpoints.find(gone.id()).orElseThrow();
        assertThat(after.active()).isFalse();
        assertThat(after.disabledReason()).isEqualTo("the receiver answered 410 Gone");
        clock.advance(Duration.ofDays(1));
        assertThat(workers.deliverDue()).isZero();
        assertThat(deliveries.list(gone.id(), null, "pending", 10)).extracting(Delivery::eventType)
                .containsExactlyInAnyOrder("appointment.created", "appointment.deleted");
        assertThat(received("/gone")).hasSize(1);
    }

    @Test
    void aClaimWhoseLeaseRanOutIsTakenOverAndTheLateWorkerRecordsNothing() {
        receiver.stubFor(post("/slow").willReturn(aResponse().withStatus(200)));
        Endpoint slow = endpoint("/slow", Set.of("appointment.created"));
        new JdbiRecordSink(jdbi, clock, business, CONNECTOR, null).upsert(appointment("a1", 1));
        workers.fanOut();
        Instant now = clock.instant();
        DeliveryStore.Claimed first = deliveries.claim(now, now.plusSeconds(120), 10, "dead-node").get(0);
        assertThat(deliveries.claim(now, now.plusSeconds(120), 10, "other")).isEmpty();
        clock.advance(Duration.ofSeconds(121));
        assertThat(workers.deliverDue()).isEqualTo(1);
        boolean recorded = jdbi.inTransaction(h -> DeliveryStore.finish(h, first, "failed", now, 500, "late", now, 1,
                now));
        assertThat(recorded).isFalse();
        assertThat(deliveries.list(slow.id(), null, null, 10)).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo("delivered"));
    }

    @Test
    void aRevokedKeysEndpointsGetNothingMoreNeitherNewEventsNorQueuedOnes() {
        receiver.stubFor(post("/revoked").willReturn(aResponse().withStatus(200)));
        Endpoint e = endpoint("/revoked", Set.of("appointment.created"));
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, clock, business, CONNECTOR, null);
        sink.upsert(appointment("a1", 1));
        assertThat(workers.fanOut()).isEqualTo(1);
        jdbi.useHandle(h -> h.execute("UPDATE api_keys SET revoked_at = now() WHERE id = ?", owner));
        sink.upsert(appointment("a2", 1));
        assertThat(workers.fanOut()).as("the change is consumed").isEqualTo(1);

        assertThat(workers.deliverDue()).isZero();
        assertThat(received("/revoked")).isEmpty();
        assertThat(deliveries.list(e.id(), null, null, 10)).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo("pending"));
    }

    private Endpoint endpoint(String path, Set<String> types) {
        UUID id = UUID.randomUUID();
        Endpoint e = new Endpoint(id, owner, URI.create(receiver.baseUrl().replace("localhost", "127.0.0.1") + path),
                types, Set.of(business), endpoints.seal(id, "whsec_" + Base64.getEncoder().encodeToString(new byte[24])),
                null, null, true, null, null, clock.instant());
        endpoints.insert(e, clock.instant());
        return e;
    }

    private List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private static List<String> types(List<LoggedRequest> requests) {
        return requests.stream().map(r -> json(r).get("type").asText()).toList();
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
