package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.spi.webhook.WebhookVerificationException.Reason;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signature and timestamp checks of Booksy webhooks, for each configurable scheme. */
class BooksyWebhookVerificationTest {
    static final String SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("booksy-current-webhook-key-32byt".getBytes(StandardCharsets.UTF_8));
    static final String PREVIOUS_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("booksy-previous-webhook-key-32by".getBytes(StandardCharsets.UTF_8));
    private static final String OTHER_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("an-attacker-guessed-this-key-32b".getBytes(StandardCharsets.UTF_8));

    private final byte[] body = Payloads.webhook("appointment-created.json").getBytes(StandardCharsets.UTF_8);
    private TestContext ctx;
    private BooksyConnector connector;

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
    }

    private WebhookHandler handler(Map<String, Object> overrides) {
        Map<String, Object> values = BooksyContexts.apiKeyValues("http://localhost:1");
        values.putAll(overrides);
        ctx = BooksyContexts.of(values);
        connector = (BooksyConnector) new BooksyConnectorFactory().create(ctx);
        return connector.webhooks();
    }

    private WebhookHandler standard() {
        return handler(Map.of("webhookSecret", SECRET));
    }

    private static WebhookRequest request(byte[] body, Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return new WebhookRequest(body, multi);
    }

    private WebhookRequest signed(String secret, Instant at) {
        return request(body, WebhookSigner.standardWebhooksHeaders(secret, "evt_2Kq7c9aX01", at, body));
    }

    private static Reason reasonOf(WebhookHandler handler, WebhookRequest request) {
        try {
            handler.verify(request);
        } catch (WebhookVerificationException e) {
            return e.reason();
        }
        return null;
    }

    @Test
    void defaultSchemeIsStandardWebhooksAndAcceptsACorrectlySignedBody() {
        WebhookHandler handler = standard();
        assertThatCode(() -> handler.verify(signed(SECRET, BooksyContexts.NOW))).doesNotThrowAnyException();
        assertThat(handler.accountId()).isEqualTo("b-1001");
    }

    @Test
    void tamperedBodyWrongSecretAndReserialisedBodyAreRejected() {
        WebhookHandler handler = standard();
        Map<String, String> headers = WebhookSigner.standardWebhooksHeaders(SECRET, "evt_2Kq7c9aX01",
                BooksyContexts.NOW, body);

        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"80.00\"", "\"8.00\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(body);
        assertThat(reasonOf(handler, request(tampered, headers))).isEqualTo(Reason.SIGNATURE_MISMATCH);

        assertThat(reasonOf(handler, signed(OTHER_SECRET, BooksyContexts.NOW))).isEqualTo(Reason.SIGNATURE_MISMATCH);

        // Same JSON value, different bytes: a hub that re-serialised before verifying would accept this.
        byte[] pretty = prettyPrinted(body);
        assertThat(pretty).isNotEqualTo(body);
        assertThat(reasonOf(handler, request(pretty, headers))).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    private static byte[] prettyPrinted(byte[] json) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(mapper.readTree(json));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void timestampIsAcceptedWithin300SecondsEitherWayAndRejectedBeyond() {
        WebhookHandler handler = standard();
        assertThat(reasonOf(handler, signed(SECRET, BooksyContexts.NOW.minusSeconds(300)))).isNull();
        assertThat(reasonOf(handler, signed(SECRET, BooksyContexts.NOW.plusSeconds(300)))).isNull();
        assertThat(reasonOf(handler, signed(SECRET, BooksyContexts.NOW.minusSeconds(301))))
                .isEqualTo(Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThat(reasonOf(handler, signed(SECRET, BooksyContexts.NOW.plusSeconds(301))))
                .isEqualTo(Reason.TIMESTAMP_OUT_OF_TOLERANCE);

        // The handler reads the injected clock on every request, not once at creation.
        WebhookRequest atNow = signed(SECRET, BooksyContexts.NOW);
        ctx.clock().advance(Duration.ofSeconds(301));
        assertThat(reasonOf(handler, atNow)).isEqualTo(Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void toleranceIsConfigurable() {
        WebhookHandler handler = handler(Map.of("webhookSecret", SECRET, "webhookTolerance", "PT10S"));
        assertThat(reasonOf(handler, signed(SECRET, BooksyContexts.NOW.minusSeconds(10)))).isNull();
        assertThat(reasonOf(handler, signed(SECRET, BooksyContexts.NOW.minusSeconds(11))))
                .isEqualTo(Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void repeatedMissingAndMalformedHeadersHaveTheirReasonCodes() {
        WebhookHandler handler = standard();
        Map<String, String> good = WebhookSigner.standardWebhooksHeaders(SECRET, "evt_2Kq7c9aX01",
                BooksyContexts.NOW, body);

        Map<String, List<String>> repeated = new LinkedHashMap<>();
        good.forEach((k, v) -> repeated.put(k, List.of(v)));
        repeated.put("webhook-signature", List.of(good.get("webhook-signature"), good.get("webhook-signature")));
        assertThat(reasonOf(handler, new WebhookRequest(body, repeated))).isEqualTo(Reason.REPEATED_HEADER);

        for (String header : good.keySet()) {
            Map<String, String> missing = new LinkedHashMap<>(good);
            missing.remove(header);
            assertThat(reasonOf(handler, request(body, missing))).as(header).isEqualTo(Reason.MISSING_HEADER);
        }

        Map<String, String> badTimestamp = new LinkedHashMap<>(good);
        badTimestamp.put("webhook-timestamp", "yesterday");
        assertThat(reasonOf(handler, request(body, badTimestamp))).isEqualTo(Reason.MALFORMED_HEADER);
    }

    @Test
    void withoutASecretEveryRequestIsRefusedWithNoSecret() {
        WebhookHandler handler = handler(Map.of());
        assertThat(reasonOf(handler, signed(SECRET, BooksyContexts.NOW))).isEqualTo(Reason.NO_SECRET);
    }

    @Test
    void duringRotationBothSecretsAreAccepted() {
        WebhookHandler rotating = handler(Map.of("webhookSecret", SECRET, "webhookSecretPrevious", PREVIOUS_SECRET));
        assertThat(reasonOf(rotating, signed(PREVIOUS_SECRET, BooksyContexts.NOW))).isNull();
        assertThat(reasonOf(rotating, signed(SECRET, BooksyContexts.NOW))).isNull();
        assertThat(reasonOf(rotating, signed(OTHER_SECRET, BooksyContexts.NOW))).isEqualTo(Reason.SIGNATURE_MISMATCH);

        WebhookHandler rotated = standard();
        assertThat(reasonOf(rotated, signed(PREVIOUS_SECRET, BooksyContexts.NOW))).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void hexHmacSchemeIsSelectableWithDefaultOrConfiguredHeader() {
        String secret = "gh-style-plain-secret";
        WebhookHandler handler = handler(Map.of("webhookScheme", "hex-hmac", "webhookSecret", secret));
        String signature = WebhookSigner.hexHmacHeader(secret, body);
        assertThat(reasonOf(handler, request(body, Map.of("X-Hub-Signature-256", signature)))).isNull();
        assertThat(reasonOf(handler, request(body, Map.of("X-Hub-Signature-256",
                WebhookSigner.hexHmacHeader("wrong-secret", body))))).isEqualTo(Reason.SIGNATURE_MISMATCH);
        // Standard Webhooks headers mean nothing to this scheme.
        assertThat(reasonOf(handler, request(body, WebhookSigner.standardWebhooksHeaders(SECRET, "evt_1",
                BooksyContexts.NOW, body)))).isEqualTo(Reason.MISSING_HEADER);

        WebhookHandler custom = handler(Map.of("webhookScheme", "hex-hmac", "webhookSecret", secret,
                "webhookSignatureHeader", "X-Booksy-Signature"));
        assertThat(reasonOf(custom, request(body, Map.of("X-Booksy-Signature", signature)))).isNull();
        assertThat(reasonOf(custom, request(body, Map.of("X-Hub-Signature-256", signature))))
                .isEqualTo(Reason.MISSING_HEADER);
    }

    @Test
    void timestampedHmacSchemeIsSelectableAndChecksTolerance() {
        String secret = "stripe-style-plain-secret";
        WebhookHandler handler = handler(Map.of("webhookScheme", "timestamped-hmac", "webhookSecret", secret));
        assertThat(reasonOf(handler, request(body, Map.of("Webhook-Signature",
                WebhookSigner.timestampedHeader(secret, BooksyContexts.NOW, body))))).isNull();
        assertThat(reasonOf(handler, request(body, Map.of("Webhook-Signature",
                WebhookSigner.timestampedHeader(secret, BooksyContexts.NOW.minusSeconds(301), body)))))
                .isEqualTo(Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThat(reasonOf(handler, request(body, Map.of("Webhook-Signature",
                WebhookSigner.timestampedHeader("wrong", BooksyContexts.NOW, body)))))
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void unusableSecretFailsCreationNamingTheFieldButNotTheValue() {
        String notBase64 = "whsec_***not-base64-at-all***";
        assertThatThrownBy(() -> handler(Map.of("webhookSecret", SECRET, "webhookSecretPrevious", notBase64)))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageStartingWith("webhookSecretPrevious:")
                .message().doesNotContain(notBase64).doesNotContain("not-base64-at-all");
    }

    @Test
    void verificationFailuresAndToStringNeverShowTheSecret() {
        WebhookHandler handler = handler(Map.of("webhookSecret", SECRET, "webhookSecretPrevious", PREVIOUS_SECRET));
        assertThat(handler.toString()).doesNotContain(SECRET).doesNotContain(PREVIOUS_SECRET)
                .doesNotContain(SECRET.substring(6));
        try {
            handler.verify(signed(OTHER_SECRET, BooksyContexts.NOW));
        } catch (WebhookVerificationException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET.substring(6)).doesNotContain(PREVIOUS_SECRET.substring(6));
            return;
        }
        throw new AssertionError("verification should have failed");
    }
}
