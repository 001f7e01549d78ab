package io.bookinghub.booksy.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts Standard Webhooks-signed events to the configured target on a single background thread (so events
 * arrive in mutation order). Failures are recorded, logged without secrets and never reach the caller.
 */
final class WebhookSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    static final String SECRET_PREFIX = "whsec_";

    private record Target(URI uri, byte[] key) {
    }

    private final ObjectMapper mapper;
    private final Clock clock;
    private final Supplier<String> eventIds;
    private final HttpClient http;
    private final ExecutorService executor;
    private final List<WebhookDelivery> deliveries = new ArrayList<>();
    private volatile Target target;

    WebhookSender(ObjectMapper mapper, Clock clock, Supplier<String> eventIds) {
        this.mapper = Objects.requireNonNull(mapper, "mapper is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.eventIds = Objects.requireNonNull(eventIds, "eventIds is null");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "booksy-sandbox-webhooks");
            t.setDaemon(true);
            return t;
        });
    }

    void target(URI uri, String secret) {
        if (uri == null) {
            target = null;
            return;
        }
        Objects.requireNonNull(secret, "secret is null");
        target = new Target(uri, decodeSecret(secret));
    }

    boolean hasTarget() {
        return target != null;
    }

    /** Decodes {@code whsec_<base64>} (the prefix is optional, as in the Standard Webhooks libraries). */
    static byte[] decodeSecret(String secret) {
        String b64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            byte[] key = Base64.getDecoder().decode(b64);
            if (key.length == 0) {
                throw new IllegalArgumentException("webhook secret key is empty");
            }
            return key;
        } catch (IllegalArgumentException e) {
            // Deliberately not chaining the cause or echoing input: it would carry the secret.
            throw new IllegalArgumentException("webhook secret must be whsec_<base64 key>");
        }
    }

    /** Standard Webhooks v1 signature of "{id}.{timestamp}.{body}". */
    static String sign(byte[] key, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Builds the event now (so data and created_at reflect the mutation) and sends it later. */
    void emit(String type, String businessId, ObjectNode data) {
        Target t = target;
        if (t == null) {
            return;
        }
        try {
            String id = "evt_" + eventIds.get();
            long nowMillis = clock.millis();
            ObjectNode event = mapper.createObjectNode();
            event.put("id", id);
            event.put("type", type);
            event.put("business_id", businessId);
            event.put("created_at", JsonViews.instant(nowMillis));
            event.set("data", data);
            String body = mapper.writeValueAsString(event);
            long timestamp = Math.floorDiv(nowMillis, 1000);
            String signature = sign(t.key(), id, timestamp, body);
            executor.execute(() -> deliver(t.uri(), id, type, timestamp, signature, body));
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.warn("could not prepare webhook {}: {}", type, e.toString());
        }
    }

    private void deliver(URI uri, String id, String type, long timestamp, String signature, String body) {
        int status = -1;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status < 200 || status >= 300) {
                error = "receiver answered " + status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName();
        }
        if (error != null) {
            LOG.warn("webhook {} ({}) to {} failed: {}", id, type, uri, error);
        }
        synchronized (deliveries) {
            deliveries.add(new WebhookDelivery(id, type, status, error, clock.instant()));
            deliveries.notifyAll();
        }
    }

    List<WebhookDelivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    boolean awaitDeliveries(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (deliveries) {
            while (deliveries.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(deliveries, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
