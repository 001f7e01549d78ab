package io.bookinghub.spi.webhook.signature;

import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MISSING_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.NO_SECRET;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE;
import static io.bookinghub.spi.webhook.signature.Requests.assertAccepted;
import static io.bookinghub.spi.webhook.signature.Requests.assertRejected;
import static io.bookinghub.spi.webhook.signature.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureVerifiersTest {

    private static final Instant STANDARD_AT =
            Instant.ofEpochSecond(Long.parseLong(TestVectors.get("standard.timestamp")));
    private static final Instant STRIPE_AT = Instant.ofEpochSecond(Long.parseLong(TestVectors.get("stripe.timestamp")));

    @Test
    void createsEachSchemeWithDefaultsAndVerifiesItsVector() {
        WebhookSignatureVerifier standard = WebhookSignatureVerifiers.create("standard-webhooks",
                List.of(TestVectors.get("standard.secret")), null, null, Clock.fixed(STANDARD_AT, ZoneOffset.UTC), null);
        assertThat(standard).isInstanceOf(StandardWebhooksVerifier.class);
        assertAccepted(standard, request(TestVectors.get("standard.body"), "webhook-id", TestVectors.get("standard.id"),
                "webhook-timestamp", TestVectors.get("standard.timestamp"),
                "webhook-signature", TestVectors.get("standard.signature")));

        WebhookSignatureVerifier hex = WebhookSignatureVerifiers.create("hex-hmac",
                List.of(TestVectors.get("github.secret")), null, null, null, null);
        assertThat(hex).isInstanceOf(HexHmacVerifier.class);
        assertAccepted(hex, request(TestVectors.get("github.body"), "X-Hub-Signature-256",
                TestVectors.get("github.signature")));

        WebhookSignatureVerifier timestamped = WebhookSignatureVerifiers.create("timestamped-hmac",
                List.of(TestVectors.get("stripe.secret")), null, null, Clock.fixed(STRIPE_AT, ZoneOffset.UTC), null);
        assertThat(timestamped).isInstanceOf(TimestampedHmacVerifier.class);
        assertAccepted(timestamped, request(TestVectors.get("stripe.body"), "Webhook-Signature",
                TestVectors.get("stripe.signature")));

        WebhookSignatureVerifier urlBody = WebhookSignatureVerifiers.create("url-body-hmac",
                List.of(TestVectors.get("square.key")), null, null, null, TestVectors.get("square.url"));
        assertThat(urlBody).isInstanceOf(UrlBodyHmacVerifier.class);
        assertAccepted(urlBody, request(TestVectors.get("square.body"), "x-square-hmacsha256-signature",
                TestVectors.get("square.signature")));
    }

    @Test
    void schemeNamesAreCaseInsensitive() {
        assertThat(WebhookSignatureVerifiers.create(" Hex-HMAC ", List.of("s"), null, null, null, null))
                .isInstanceOf(HexHmacVerifier.class);
    }

    @Test
    void passesHeaderNameAndToleranceThrough() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Clock clock = Clock.fixed(STRIPE_AT, ZoneOffset.UTC);
        WebhookSignatureVerifier verifier = WebhookSignatureVerifiers.create("timestamped-hmac", List.of("k"),
                "X-Custom", Duration.ofSeconds(5), clock, null);
        assertAccepted(verifier, request(body, "x-custom", WebhookSigner.timestampedHeader("k", STRIPE_AT, body)));
        assertRejected(verifier, request(body, "x-custom",
                WebhookSigner.timestampedHeader("k", STRIPE_AT.minusSeconds(6), body)), TIMESTAMP_OUT_OF_TOLERANCE);
        assertRejected(verifier, request(body, "Webhook-Signature",
                WebhookSigner.timestampedHeader("k", STRIPE_AT, body)), MISSING_HEADER);

        WebhookSignatureVerifier hex = WebhookSignatureVerifiers.create("hex-hmac", List.of("k"), "X-Sig", null,
                null, null);
        assertAccepted(hex, request(body, "X-Sig", WebhookSigner.hexHmacHeader("k", body)));
    }

    @Test
    void emptySecretListGivesVerifierThatRefusesWithNoSecret() {
        for (String scheme : WebhookSignatureVerifiers.SCHEMES) {
            WebhookSignatureVerifier verifier = WebhookSignatureVerifiers.create(scheme, List.of(), null, null,
                    Clock.systemUTC(), "https://example.test/hook");
            assertRejected(verifier, request("{}"), NO_SECRET);
        }
    }

    @Test
    void rejectsUnknownSchemeNamingIt() {
        assertThatThrownBy(() -> WebhookSignatureVerifiers.create("hmac-md5", List.of("s"), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hmac-md5");
    }

    @Test
    void urlBodySchemeNeedsNotificationUrl() {
        assertThatThrownBy(() -> WebhookSignatureVerifiers.create("url-body-hmac", List.of("s"), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notification URL");
    }

    @Test
    void timedSchemesNeedClock() {
        assertThatThrownBy(() -> WebhookSignatureVerifiers.create("standard-webhooks", List.of(), null, null, null,
                null)).isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
    }
}
