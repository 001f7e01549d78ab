package io.bookinghub.booksy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

    /** What the receiver saw: lower-cased headers of interest and the raw body. */
    private record Received(Map<String, String> headers, String body) {
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00.250Z"));
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger receiverStatus = new AtomicInteger(204);
    private HttpServer receiver;
    private BooksySandbox sandbox;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/connectors/booksy/webhook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(Map.of(
                    "webhook-id", ex.getRequestHeaders().getFirst("webhook-id"),
                    "webhook-timestamp", ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    "webhook-signature", ex.getRequestHeaders().getFirst("webhook-signature"),
                    "content-type", ex.getRequestHeaders().getFirst("Content-Type")), body));
            ex.sendResponseHeaders(receiverStatus.get(), -1);
            ex.close();
        });
        receiver.start();
        URI target = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/connectors/booksy/webhook");
        sandbox = TestHttp.baseBuilder(clock).webhookTarget(target, SECRET).build().start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
        receiver.stop(0);
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("webhook received").isNotNull();
        return r;
    }

    private static String expectedSignature(String id, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }

    @Test
    void cancellationSendsACorrectlySignedEvent() throws Exception {
        String id = sandbox.appointmentIds().get(30);
        int versionBefore = sandbox.appointment(id).orElseThrow().get("version").asInt();
        clock.advance(Duration.ofSeconds(10));

        ObjectNode returned = sandbox.cancelAppointment(id, true, "Change of plans");

        Received r = next();
        JsonNode event = TestHttp.JSON.readTree(r.body());
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.headers().get("webhook-id")).isEqualTo(event.get("id").asText()).startsWith("evt_");
        assertThat(r.headers().get("webhook-timestamp")).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(r.headers().get("webhook-signature")).isEqualTo(
                expectedSignature(r.headers().get("webhook-id"), r.headers().get("webhook-timestamp"), r.body()));
        assertThat(event.get("type").asText()).isEqualTo("appointment.cancelled");
        assertThat(event.get("business_id").asText()).isEqualTo("b-1001");
        assertThat(event.get("created_at").asText()).isEqualTo("2026-11-20T10:00:10.250Z");
        JsonNode data = event.get("data");
        assertThat(data).isEqualTo(returned);
        assertThat(data.get("id").asText()).isEqualTo(id);
        assertThat(data.get("status").asText()).isEqualTo("cancelled");
        assertThat(data.get("version").asInt()).isEqualTo(versionBefore + 1);
        assertThat(data.get("cancellation").get("cancelled_by").asText()).isEqualTo("client");
        assertThat(data.get("cancellation").get("reason").asText()).isEqualTo("Change of plans");

        assertThat(sandbox.awaitWebhookDeliveries(1, Duration.ofSeconds(10))).isTrue();
        WebhookDelivery delivery = sandbox.webhookDeliveries().get(0);
        assertThat(delivery.succeeded()).isTrue();
        assertThat(delivery.eventId()).isEqualTo(event.get("id").asText());
    }

    @Test
    void signatureWouldNotVerifyWithAnotherKeyOrBody() throws Exception {
        sandbox.updateService("svc-2", "Colour", null, null);
        Received r = next();
        String sig = r.headers().get("webhook-signature");

        assertThat(sig).isNotEqualTo(expectedSignature(r.headers().get("webhook-id"),
                r.headers().get("webhook-timestamp"), r.body().replace("Colour", "Colour ")));
        assertThat(TestHttp.JSON.readTree(r.body()).get("type").asText()).isEqualTo("service.updated");
    }

    @Test
    void eachMutationSendsItsEventTypeInOrder() throws Exception {
        String appt = sandbox.appointmentIds().get(0);
        sandbox.createAppointment("c-2", "svc-1", "s-1", Instant.parse("2026-11-23T12:00:00Z"));
        sandbox.rescheduleAppointment(appt, Instant.parse("2026-11-26T12:00:00Z"));
        sandbox.updateClient("c-2", null, "Nowak-Kowalska", null, null);
        sandbox.deleteClient("c-3");
        sandbox.deleteService("svc-8");

        String[] expected = {"appointment.created", "appointment.updated", "client.updated", "client.updated",
            "service.deleted"};
        for (String type : expected) {
            Received r = next();
            JsonNode event = TestHttp.JSON.readTree(r.body());
            assertThat(event.get("type").asText()).isEqualTo(type);
            assertThat(r.headers().get("webhook-signature")).isEqualTo(
                    expectedSignature(r.headers().get("webhook-id"), r.headers().get("webhook-timestamp"), r.body()));
            if (type.equals("client.updated") && event.get("data").get("id").asText().equals("c-3")) {
                assertThat(event.get("data").get("deleted").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void failedDeliveriesAreRecordedAndNeverThrowIntoTheCaller() throws Exception {
        receiverStatus.set(500);
        sandbox.updateClient("c-1", "Jan", null, null, null);
        next();
        assertThat(sandbox.awaitWebhookDeliveries(1, Duration.ofSeconds(10))).isTrue();
        assertThat(sandbox.webhookDeliveries().get(0).statusCode()).isEqualTo(500);
        assertThat(sandbox.webhookDeliveries().get(0).succeeded()).isFalse();

        receiver.stop(0);
        ObjectNode result = sandbox.updateClient("c-1", "Janek", null, null, null);
        assertThat(result.get("first_name").asText()).isEqualTo("Janek");
        assertThat(sandbox.awaitWebhookDeliveries(2, Duration.ofSeconds(20))).isTrue();
        WebhookDelivery unreachable = sandbox.webhookDeliveries().get(1);
        assertThat(unreachable.statusCode()).isEqualTo(-1);
        assertThat(unreachable.error()).isNotBlank().doesNotContain(SECRET);
    }
}
