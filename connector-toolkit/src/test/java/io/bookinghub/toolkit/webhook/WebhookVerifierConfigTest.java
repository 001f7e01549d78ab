package io.bookinghub.toolkit.webhook;

import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MALFORMED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MISSING_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.NO_SECRET;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.SIGNATURE_MISMATCH;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE;
import static io.bookinghub.toolkit.webhook.Requests.assertAccepted;
import static io.bookinghub.toolkit.webhook.Requests.assertRejected;
import static io.bookinghub.toolkit.webhook.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConfigValidationException.FieldError;
import io.bookinghub.spi.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookVerifierConfigTest {

    private static final Instant STANDARD_AT =
            Instant.ofEpochSecond(Long.parseLong(TestVectors.get("standard.timestamp")));
    private static final Instant STRIPE_AT = Instant.ofEpochSecond(Long.parseLong(TestVectors.get("stripe.timestamp")));

    @Test
    void buildsEachSchemeWithDefaultsAndVerifiesItsVector() {
        WebhookSignatureVerifier standard = WebhookVerifierConfig.builder(SignatureScheme.STANDARD_WEBHOOKS)
                .secret("webhookSecret", TestVectors.get("standard.secret"))
                .clock(Clock.fixed(STANDARD_AT, ZoneOffset.UTC)).verifier();
        assertThat(standard).isInstanceOf(StandardWebhooksVerifier.class);
        assertAccepted(standard, request(TestVectors.get("standard.body"), "webhook-id", TestVectors.get("standard.id"),
                "webhook-timestamp", TestVectors.get("standard.timestamp"),
                "webhook-signature", TestVectors.get("standard.signature")));

        WebhookSignatureVerifier hex = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                .secret("webhookSecret", TestVectors.get("github.secret")).verifier();
        assertThat(hex).isInstanceOf(HexHmacVerifier.class);
        assertAccepted(hex, request(TestVectors.get("github.body"), "X-Hub-Signature-256",
                TestVectors.get("github.signature")));

        WebhookSignatureVerifier timestamped = WebhookVerifierConfig.builder(SignatureScheme.TIMESTAMPED_HMAC)
                .secret("webhookSecret", TestVectors.get("stripe.secret"))
                .clock(Clock.fixed(STRIPE_AT, ZoneOffset.UTC)).verifier();
        assertThat(timestamped).isInstanceOf(TimestampedHmacVerifier.class);
        assertAccepted(timestamped, request(TestVectors.get("stripe.body"), "Webhook-Signature",
                TestVectors.get("stripe.signature")));

        WebhookSignatureVerifier urlBody = WebhookVerifierConfig.builder(SignatureScheme.URL_BODY_HMAC)
                .secret("signatureKey", TestVectors.get("square.key"))
                .notificationUrl(TestVectors.get("square.url")).verifier();
        assertThat(urlBody).isInstanceOf(UrlBodyHmacVerifier.class);
        assertAccepted(urlBody, request(TestVectors.get("square.body"), "x-square-hmacsha256-signature",
                TestVectors.get("square.signature")));
    }

    @Test
    void schemeConfigNamesAreCaseInsensitiveAndUnknownOnesNamed() {
        assertThat(SignatureScheme.fromConfigName(" Hex-HMAC ")).isEqualTo(SignatureScheme.HEX_HMAC);
        assertThat(SignatureScheme.configNames())
                .containsExactly("standard-webhooks", "hex-hmac", "timestamped-hmac", "url-body-hmac");
        assertThatThrownBy(() -> SignatureScheme.fromConfigName("hmac-md5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hmac-md5");
    }

    @Test
    void passesHeaderNameAndToleranceThrough() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        WebhookSignatureVerifier verifier = WebhookVerifierConfig.builder(SignatureScheme.TIMESTAMPED_HMAC)
                .secret("webhookSecret", "k").headerName("X-Custom").tolerance(Duration.ofSeconds(5))
                .clock(Clock.fixed(STRIPE_AT, ZoneOffset.UTC)).verifier();
        assertAccepted(verifier, request(body, "x-custom", WebhookSigner.timestampedHeader("k", STRIPE_AT, body)));
        assertRejected(verifier, request(body, "x-custom",
                WebhookSigner.timestampedHeader("k", STRIPE_AT.minusSeconds(6), body)), TIMESTAMP_OUT_OF_TOLERANCE);
        assertRejected(verifier, request(body, "Webhook-Signature",
                WebhookSigner.timestampedHeader("k", STRIPE_AT, body)), MISSING_HEADER);

        WebhookSignatureVerifier hex = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                .secret("webhookSecret", "k").headerName("X-Sig").verifier();
        assertAccepted(hex, request(body, "X-Sig", WebhookSigner.hexHmacHeader("k", body)));
    }

    @Test
    void hexSchemeTakesBareHexWithAnEmptyPrefix() {
        byte[] body = "{\"account_id\":\"a1\"}".getBytes(StandardCharsets.UTF_8);
        WebhookSignatureVerifier bare = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                .secret("webhookSecret", "k").headerName("X-Signature").signaturePrefix("").verifier();
        assertAccepted(bare, request(body, "X-Signature", WebhookSigner.hexHmac("k", body)));
        assertRejected(bare, request(body, "X-Signature", WebhookSigner.hexHmacHeader("k", body)),
                MALFORMED_HEADER);
        assertRejected(bare, request(body, "X-Signature", WebhookSigner.hexHmac("other", body)), SIGNATURE_MISMATCH);
    }

    @Test
    void bothRotationSecretsAreAcceptedAndAnUnsetOneIsSkipped() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        WebhookVerifierConfig config = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                .secret("webhookSecret", "new").secret("webhookSecretPrevious", "old").build();
        assertThat(config.secrets()).extracting(WebhookVerifierConfig.Secret::field)
                .containsExactly("webhookSecret", "webhookSecretPrevious");
        assertAccepted(config.verifier(), request(body, "X-Hub-Signature-256", WebhookSigner.hexHmacHeader("new", body)));
        assertAccepted(config.verifier(), request(body, "X-Hub-Signature-256", WebhookSigner.hexHmacHeader("old", body)));

        WebhookVerifierConfig one = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                .secret("webhookSecret", "new").secret("webhookSecretPrevious", null).build();
        assertThat(one.secrets()).hasSize(1);
    }

    @Test
    void noSecretGivesVerifierThatRefusesWithNoSecret() {
        for (SignatureScheme scheme : SignatureScheme.values()) {
            WebhookSignatureVerifier verifier = WebhookVerifierConfig.builder(scheme).clock(Clock.systemUTC())
                    .notificationUrl("https://example.test/hook").verifier();
            assertRejected(verifier, request("{}"), NO_SECRET);
        }
    }

    @Test
    void badSecretIsReportedByItsFieldNeverByPositionOrValue() {
        String notBase64 = "whsec_***not-base64***";
        assertThatThrownBy(() -> WebhookVerifierConfig.builder(SignatureScheme.STANDARD_WEBHOOKS)
                .secret("webhookSecret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .secret("webhookSecretPrevious", notBase64).clock(Clock.systemUTC()).build())
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("webhookSecretPrevious");
                })
                .hasMessageStartingWith("webhookSecretPrevious: is not whsec_ followed by base64")
                .message().doesNotContain("not-base64").doesNotContain("secrets[");

        assertThatThrownBy(() -> WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                .secret("sharedSecret", "").build())
                .isInstanceOf(ConfigValidationException.class).hasMessageStartingWith("sharedSecret: is empty");
    }

    @Test
    void everyUnusableSettingIsNamedAtOnce() {
        assertThatThrownBy(() -> WebhookVerifierConfig.builder(SignatureScheme.URL_BODY_HMAC)
                .secret("signatureKey", "").headerName(" ").build())
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("signatureKey", "headerName", "notificationUrl"));
        assertThatThrownBy(() -> WebhookVerifierConfig.builder(SignatureScheme.TIMESTAMPED_HMAC)
                .tolerance(Duration.ofSeconds(-1)).clock(Clock.systemUTC()).build())
                .isInstanceOf(ConfigValidationException.class).hasMessage("tolerance: must not be negative");
    }

    @Test
    void timedSchemesNeedClockAndDefaultTheTolerance() {
        assertThatThrownBy(() -> WebhookVerifierConfig.builder(SignatureScheme.STANDARD_WEBHOOKS).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
        assertThat(WebhookVerifierConfig.builder(SignatureScheme.TIMESTAMPED_HMAC).clock(Clock.systemUTC()).build()
                .tolerance()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void toStringNeverShowsASecret() {
        WebhookVerifierConfig config = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                .secret("webhookSecret", "s3cr3t-value").build();
        assertThat(config.toString()).contains("webhookSecret").doesNotContain("s3cr3t-value");
    }
}
