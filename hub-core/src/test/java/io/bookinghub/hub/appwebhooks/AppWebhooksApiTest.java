package io.bookinghub.hub.appwebhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.bookinghub.hub.changes.ChangeFixtures.CONNECTOR;
import static io.bookinghub.hub.changes.ChangeFixtures.appointment;
import static io.bookinghub.hub.changes.ChangeFixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.changes.FeedPosition;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.RecordKind;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** App webhooks through the real API: real HTTP, real PostgreSQL, a receiver verifying like an app would. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AppWebhooksApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final WireMockServer RECEIVER = new WireMockServer(options().dynamicPort());
    private static final DropwizardAppExtension<HubConfiguration> APP;

    static {
        RECEIVER.start();
        try {
            APP = HubTestApp.extension(DB, Files.createTempDirectory("plugins"), Files.createTempDirectory("var"),
                    HubTestApp.environment(), ConfigOverride.config("appWebhooks.pollInterval", "50ms"),
                    ConfigOverride.config("appWebhooks.initialBackoff", "200ms"),
                    ConfigOverride.config("appWebhooks.maxBackoff", "400ms"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final HubApi API = new HubApi(APP);

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop();
    }

    @Test
    void anEndpointReceivesEveryChangeSignedInOrderWithLogReplayAndRotation() throws Exception {
        RECEIVER.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));
        UUID business = API.createBusiness("Studio");
        UUID other = API.createBusiness("Someone else's");
        String key = API.appKey(List.of(business), List.of("read", "write"));

        JsonNode created = HubApi.json(createEndpoint(key, url("/hook"), List.of("appointment.created",
                "appointment.updated", "appointment.deleted", "client.created"), List.of(business)), 201);
        String secret = created.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        String id = created.get("id").asText();
        String path = "/v1/webhook-endpoints/" + id;
        JsonNode shown = HubApi.json(API.call(path, key).get(), 200);
        assertThat(shown.has("secret")).isFalse();
        assertThat(shown.get("status").asText()).isEqualTo("active");
        assertThat(HubApi.json(API.call("/v1/webhook-endpoints", key).get(), 200).get("items")).hasSize(1);
        // Another app's key does not see it.
        String stranger = API.appKey(List.of(other), List.of("write"));
        assertThat(API.call(path, stranger).get().getStatus()).isEqualTo(404);
        assertThat(HubApi.json(API.call("/v1/webhook-endpoints", stranger).get(), 200).get("items")).isEmpty();

        Jdbi jdbi = DB.jdbi();
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, Clock.systemUTC(), business, CONNECTOR, null);
        sink.upsert(appointment("a1", 1));
        sink.upsert(client("c1", 1));
        sink.upsert(appointment("a1", 2));
        sink.delete(RecordKind.APPOINTMENT, "a1");
        new JdbiRecordSink(jdbi, Clock.systemUTC(), other, CONNECTOR, null).upsert(appointment("x", 1));

        List<LoggedRequest> got = Receiver.await(RECEIVER, "/hook", 4, WAIT);
        for (LoggedRequest r : got) {
            Receiver.verify(secret, r);
        }
        List<String> a1 = new ArrayList<>();
        got.stream().map(Receiver::json).filter(j -> j.at("/data/externalId").asText().equals("a1"))
                .forEach(j -> a1.add(j.get("type").asText()));
        assertThat(a1).containsExactly("appointment.created", "appointment.updated", "appointment.deleted");
        assertThat(got).extracting(r -> Receiver.json(r).at("/data/businessId").asText()).containsOnly(business.toString());

        // The feed tells the same story, and its cursor stays put once everything is read.
        JsonNode feed = HubApi.json(API.call("/v1/businesses/" + business + "/changes?limit=3", key).get(), 200);
        assertThat(feed.get("items")).hasSize(3);
        assertThat(feed.get("hasMore").asBoolean()).isTrue();
        JsonNode rest = HubApi.json(API.call("/v1/businesses/" + business + "/changes?after="
                + feed.get("next").asText(), key).get(), 200);
        assertThat(rest.get("items")).hasSize(1);
        assertThat(rest.get("items").get(0).get("operation").asText()).isEqualTo("deleted");
        JsonNode end = HubApi.json(API.call("/v1/businesses/" + business + "/changes?after="
                + rest.get("next").asText(), key).get(), 200);
        assertThat(end.get("items")).isEmpty();
        assertThat(end.get("next").asText()).isEqualTo(rest.get("next").asText());
        assertThat(Receiver.json(got.get(got.size() - 1)).at("/data/cursor").asText()).isNotEmpty();

        // The delivery log, and a replay with the same message id.
        JsonNode log = HubApi.json(API.call(path + "/deliveries", key).get(), 200).get("items");
        assertThat(log).hasSize(4);
        log.forEach(d -> assertThat(d.get("status").asText()).isEqualTo("delivered"));
        long first = log.get(3).get("id").asLong();
        JsonNode one = HubApi.json(API.call(path + "/deliveries/" + first, key).get(), 200);
        assertThat(one.get("log").get(0).get("statusCode").asInt()).isEqualTo(204);
        JsonNode replay = HubApi.json(API.call(path + "/deliveries/" + first + "/replay", key).post(Entity.json("{}")),
                202);
        assertThat(replay.get("replayOf").asLong()).isEqualTo(first);
        List<LoggedRequest> replayed = Receiver.await(RECEIVER, "/hook", 5, WAIT);
        Receiver.verify(secret, replayed.get(4));
        assertThat(replayed.get(4).getHeader("webhook-id")).isEqualTo(one.get("messageId").asText());

        // Rotation: during the overlap each delivery carries both signatures, so either secret verifies it.
        JsonNode rotated = HubApi.json(API.call(path + "/rotate-secret", key).post(Entity.json(Map.of(
                "overlap", "PT1H"))), 200);
        String newSecret = rotated.get("secret").asText();
        assertThat(newSecret).isNotEqualTo(secret);
        assertThat(rotated.get("previousSecretValidUntil").asText()).isNotEmpty();
        sink.upsert(client("c2", 1));
        LoggedRequest afterRotation = Receiver.await(RECEIVER, "/hook", 6, WAIT).get(5);
        Receiver.verify(newSecret, afterRotation);
        Receiver.verify(secret, afterRotation);
        assertThatThrownBy(() -> Receiver.verify("whsec_" + "A".repeat(43) + "=", afterRotation))
                .isInstanceOf(WebhookVerificationException.class);
        // Without overlap the old secret stops at once.
        String third = HubApi.json(API.call(path + "/rotate-secret", key).post(Entity.json(Map.of("overlap", "PT0S"))),
                200).get("secret").asText();
        sink.upsert(client("c3", 1));
        LoggedRequest afterSecond = Receiver.await(RECEIVER, "/hook", 7, WAIT).get(6);
        Receiver.verify(third, afterSecond);
        assertThatThrownBy(() -> Receiver.verify(newSecret, afterSecond)).isInstanceOf(WebhookVerificationException.class);

        assertThat(API.call(path, key).delete().getStatus()).isEqualTo(204);
        assertThat(HubApi.json(API.call(path, key).get(), 404).get("error").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aReceiverThatIsDownForAWhileGetsTheDeliveryWhenItIsBack() throws Exception {
        RECEIVER.stubFor(post("/flaky").inScenario("down").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("still down"));
        RECEIVER.stubFor(post("/flaky").inScenario("down").whenScenarioStateIs("still down")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("back"));
        RECEIVER.stubFor(post("/flaky").inScenario("down").whenScenarioStateIs("back")
                .willReturn(aResponse().withStatus(200)));
        UUID business = API.createBusiness("Flaky");
        String key = API.appKey(List.of(business), List.of("write"));
        JsonNode created = HubApi.json(createEndpoint(key, url("/flaky"), List.of("client.created"),
                List.of(business)), 201);
        new JdbiRecordSink(DB.jdbi(), Clock.systemUTC(), business, CONNECTOR, null).upsert(client("c1", 1));

        List<LoggedRequest> got = Receiver.await(RECEIVER, "/flaky", 3, WAIT);
        for (LoggedRequest r : got) {
            Receiver.verify(created.get("secret").asText(), r);
        }
        String path = "/v1/webhook-endpoints/" + created.get("id").asText() + "/deliveries";
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode delivery;
        do {
            delivery = HubApi.json(API.call(path, key).get(), 200).get("items").get(0);
        } while (!delivery.get("status").asText().equals("delivered") && System.nanoTime() < deadline);
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        JsonNode attempts = HubApi.json(API.call(path + "/" + delivery.get("id").asLong(), key).get(), 200).get("log");
        assertThat(attempts).extracting(a -> a.get("statusCode").asInt()).containsExactly(503, 503, 200);
    }

    @Test
    void badRequestsNameWhatIsWrong() {
        UUID business = API.createBusiness("Strict");
        UUID other = API.createBusiness("Not yours");
        String key = API.appKey(List.of(business), List.of("read", "write"));
        JsonNode bad = HubApi.json(createEndpoint(key, "http://10.1.2.3/hook", List.of("appointment.moved"),
                List.of(business, other)), 422);
        assertThat(bad.get("fields")).extracting(f -> f.get("field").asText())
                .containsExactlyInAnyOrder("url", "eventTypes", "businessIds");
        assertThat(bad.toString()).contains("only https").contains("appointment.moved")
                .contains("no business " + other);
        assertThat(HubApi.json(createEndpoint(key, "https://10.1.2.3/hook", List.of("client.created"),
                List.of(business)), 422).get("fields").get(0).get("message").asText()).isNotEmpty();
        String readOnly = API.appKey(List.of(business), List.of("read"));
        JsonNode forbidden = HubApi.json(createEndpoint(readOnly, url("/hook"), List.of("client.created"),
                List.of(business)), 403);
        assertThat(forbidden.get("message").asText()).contains("'write' scope");
        assertThat(HubApi.json(API.call("/v1/businesses/" + business + "/changes?after=nonsense", key).get(), 400)
                .get("fields").get(0).get("field").asText()).isEqualTo("after");
        assertThat(API.call("/v1/businesses/" + other + "/changes", key).get().getStatus()).isEqualTo(404);
        // A cursor older than what retention kept is refused rather than served with a gap.
        String old = new FeedPosition(1, 1).encode();
        DB.jdbi().useHandle(h -> h.execute("UPDATE model_changes_horizon SET xid = '2', change_id = 2"));
        try {
            assertThat(HubApi.json(API.call("/v1/businesses/" + business + "/changes?after=" + old, key).get(), 410)
                    .get("error").asText()).isEqualTo("GONE");
        } finally {
            DB.jdbi().useHandle(h -> h.execute("UPDATE model_changes_horizon SET xid = '0', change_id = 0"));
        }
        String writeOnly = API.appKey(List.of(business), List.of("write"));
        assertThat(HubApi.json(API.call("/v1/businesses/" + business + "/changes", writeOnly).get(), 403)
                .get("message").asText()).contains("'read' scope");
    }

    private static Response createEndpoint(String key, String url, List<String> types, List<UUID> businesses) {
        return API.call("/v1/webhook-endpoints", key).post(Entity.json(Map.of("url", url, "eventTypes", types,
                "businessIds", businesses.stream().map(UUID::toString).toList())));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + RECEIVER.port() + path;
    }
}
