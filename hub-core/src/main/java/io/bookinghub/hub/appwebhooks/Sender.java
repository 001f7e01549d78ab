package io.bookinghub.hub.appwebhooks;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import io.bookinghub.toolkit.webhook.StandardWebhooksVerifier;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sends one delivery through the hub's outbound client (the one policy: https, public addresses unless
 * allow-listed, no redirects, capped bodies) signed with Standard Webhooks: one {@code v1,} signature per valid
 * secret, space-separated, so a receiver holding either secret of a rotation verifies it.
 */
final class Sender {
    /** What the receiver's answer means for the delivery. */
    enum Verdict { DELIVERED, GONE, FAILED }

    record Result(Verdict verdict, Integer statusCode, String error) {
    }

    private static final int MAX_ERROR_LENGTH = 300;

    private final OutboundHttp http;
    private final Duration timeout;

    Sender(OutboundHttp http, Duration timeout) {
        this.http = requireNonNull(http, "http is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    Result send(URI url, List<String> secrets, String messageId, String payload, Instant now) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        String signature = secrets.stream()
                .map(secret -> WebhookSigner.standardWebhooksSignature(secret, messageId, now, body))
                .collect(Collectors.joining(" "));
        Map<String, List<String>> headers = Map.of(
                StandardWebhooksVerifier.ID_HEADER, List.of(messageId),
                StandardWebhooksVerifier.TIMESTAMP_HEADER, List.of(Long.toString(now.getEpochSecond())),
                StandardWebhooksVerifier.SIGNATURE_HEADER, List.of(signature),
                "Content-Type", List.of("application/json"));
        Duration connect = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
        try {
            OutboundResponse response = http.send(new OutboundRequest("POST", url, headers, body, connect, timeout));
            int status = response.status();
            if (status >= 200 && status < 300) {
                return new Result(Verdict.DELIVERED, status, null);
            }
            // 410 Gone is the receiver saying it will never want these again (Standard Webhooks' advice).
            return new Result(status == 410 ? Verdict.GONE : Verdict.FAILED, status, "HTTP " + status);
        } catch (IOException | RuntimeException e) {
            // The message names the failure (refused destination, timeout, connection refused); no secret is in it.
            String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Result(Verdict.FAILED, null, message.length() > MAX_ERROR_LENGTH
                    ? message.substring(0, MAX_ERROR_LENGTH) : message);
        }
    }
}
