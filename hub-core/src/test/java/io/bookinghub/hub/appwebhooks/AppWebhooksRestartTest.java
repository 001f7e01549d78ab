package io.bookinghub.hub.appwebhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.bookinghub.hub.changes.ChangeFixtures.CONNECTOR;
import static io.bookinghub.hub.changes.ChangeFixtures.appointment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.model.JdbiRecordSink;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Deliveries are durable: queued while the receiver is down, they outlive the hub that queued them, and the next
 * hub on the same database delivers each of them, in order per appointment, once the receiver is back.
 */
class AppWebhooksRestartTest {
    @Test
    void deliveriesQueuedBeforeARestartArriveAfterIt() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        Path plugins = Files.createTempDirectory("plugins");
        Path var = Files.createTempDirectory("var");
        // A port nothing listens on yet: the receiver is down.
        WireMockServer probe = new WireMockServer(options().dynamicPort());
        probe.start();
        int port = probe.port();
        probe.stop();

        DropwizardAppExtension<HubConfiguration> first = hub(db, plugins, var);
        first.before();
        HubApi api = new HubApi(first);
        UUID business = api.createBusiness("Durable");
        String key = api.appKey(List.of(business), List.of("write"));
        JsonNode endpoint = HubApi.json(api.call("/v1/webhook-endpoints", key).post(Entity.json(Map.of(
                "url", "http://127.0.0.1:" + port + "/hook", "eventTypes", List.of("appointment.created",
                        "appointment.updated"), "businessIds", List.of(business.toString())))), 201);
        Jdbi jdbi = db.jdbi();
        JdbiRecordSink sink = new JdbiRecordSink(jdbi, Clock.systemUTC(), business, CONNECTOR, null);
        for (int i = 1; i <= 3; i++) {
            sink.upsert(appointment("a" + i, 1));
            sink.upsert(appointment("a" + i, 2));
        }
        // Wait until the first hub has tried (and failed) to deliver, then stop it.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (attempted(jdbi) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(attempted(jdbi)).isEqualTo(3);
        first.after();

        WireMockServer receiver = new WireMockServer(options().port(port));
        receiver.start();
        receiver.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        DropwizardAppExtension<HubConfiguration> second = hub(db, plugins, var);
        second.before();
        try {
            List<LoggedRequest> got = Receiver.await(receiver, "/hook", 6, Duration.ofSeconds(30));
            for (LoggedRequest r : got) {
                Receiver.verify(endpoint.get("secret").asText(), r);
            }
            // Each appointment's creation arrives before its update.
            Map<String, List<String>> perAppointment = got.stream().map(Receiver::json).collect(Collectors.groupingBy(
                    j -> j.at("/data/externalId").asText(), Collectors.mapping(j -> j.get("type").asText(),
                            Collectors.toList())));
            assertThat(perAppointment.keySet()).isEqualTo(Set.of("a1", "a2", "a3"));
            perAppointment.values().forEach(types -> assertThat(types)
                    .containsExactly("appointment.created", "appointment.updated"));
            Thread.sleep(500);
            assertThat(receiver.getAllServeEvents()).as("each delivered once").hasSize(6);
        } finally {
            second.after();
            receiver.stop();
        }
    }

    private static long attempted(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(DISTINCT delivery_id) FROM app_webhook_attempts"
                + " WHERE status_code IS NULL").mapTo(Long.class).one());
    }

    private static DropwizardAppExtension<HubConfiguration> hub(TestDatabase db, Path plugins, Path var) {
        return HubTestApp.extension(db, plugins, var, HubTestApp.environment(),
                ConfigOverride.config("appWebhooks.pollInterval", "50ms"),
                ConfigOverride.config("appWebhooks.initialBackoff", "200ms"),
                ConfigOverride.config("appWebhooks.maxBackoff", "500ms"));
    }
}
