package io.bookinghub.toolkit.webhook;

import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MALFORMED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MISSING_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.NO_SECRET;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.REPEATED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.SIGNATURE_MISMATCH;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE;
import static io.bookinghub.toolkit.webhook.Requests.assertAccepted;
import static io.bookinghub.toolkit.webhook.Requests.assertRejected;
import static io.bookinghub.toolkit.webhook.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampedHmacVerifierTest {

    private static final String HEADER = TimestampedHmacVerifier.DEFAULT_HEADER;
    private static final String SECRET = TestVectors.get("stripe.secret");
    private static final Instant AT = Instant.ofEpochSecond(Long.parseLong(TestVectors.get("stripe.timestamp")));
    private static final String BODY = TestVectors.get("stripe.body");
    private static final String SIGNATURE = TestVectors.get("stripe.signature");
    private static final String T = "t=" + AT.getEpochSecond();
    private static final String HEX = SIGNATURE.substring(SIGNATURE.indexOf("v1=") + 3);

    private static TimestampedHmacVerifier verifierAt(Instant now, String... secrets) {
        return new TimestampedHmacVerifier(List.of(secrets), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void acceptsHandComputedVector() {
        assertAccepted(verifierAt(AT, SECRET), request(BODY, HEADER, SIGNATURE));
        assertAccepted(verifierAt(AT, SECRET), request(BODY, "webhook-signature", SIGNATURE));
    }

    @Test
    void signerReproducesHandComputedVectorAndRoundTrips() {
        assertThat(WebhookSigner.timestampedHeader(SECRET, AT, bytes(BODY))).isEqualTo(SIGNATURE);
        byte[] body = "{\"id\":\"evt_2\",\"amount\":1200}".getBytes(StandardCharsets.UTF_8);
        Instant sent = AT.plusSeconds(42);
        assertAccepted(verifierAt(AT, "another secret"),
                request(body, HEADER, WebhookSigner.timestampedHeader("another secret", sent, body)));
    }

    @Test
    void acceptsAnyV1AmongSeveralAndSkipsOtherSchemes() {
        String wrong = "0".repeat(64);
        assertAccepted(verifierAt(AT, SECRET), request(BODY, HEADER, T + ",v1=" + wrong + ",v0=abc,v1=" + HEX));
        assertAccepted(verifierAt(AT, SECRET), request(BODY, HEADER, "v1=" + HEX + ", " + T));
        assertAccepted(verifierAt(AT, SECRET), request(BODY, HEADER, T + ",v1=" + HEX.toUpperCase()));
        assertRejected(verifierAt(AT, SECRET), request(BODY, HEADER, T + ",v0=" + HEX), SIGNATURE_MISMATCH);
        assertRejected(verifierAt(AT, SECRET), request(BODY, HEADER, T), SIGNATURE_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(longs = {-300, -1, 0, 1, 300})
    void acceptsTimestampsWithinToleranceEitherWay(long offsetSeconds) {
        String header = WebhookSigner.timestampedHeader(SECRET, AT.plusSeconds(offsetSeconds), bytes(BODY));
        assertAccepted(verifierAt(AT, SECRET), request(BODY, HEADER, header));
    }

    @ParameterizedTest
    @ValueSource(longs = {-301, 301, -1_000_000, 1_000_000})
    void rejectsTimestampsBeyondToleranceEitherWay(long offsetSeconds) {
        String header = WebhookSigner.timestampedHeader(SECRET, AT.plusSeconds(offsetSeconds), bytes(BODY));
        assertRejected(verifierAt(AT, SECRET), request(BODY, HEADER, header), TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void honoursConfiguredHeaderAndTolerance() {
        TimestampedHmacVerifier verifier = new TimestampedHmacVerifier(List.of(SECRET), "Stripe-Signature",
                Duration.ofSeconds(30), Clock.fixed(AT, ZoneOffset.UTC));
        assertAccepted(verifier, request(BODY, "stripe-signature",
                WebhookSigner.timestampedHeader(SECRET, AT.plusSeconds(30), bytes(BODY))));
        assertRejected(verifier, request(BODY, "stripe-signature",
                WebhookSigner.timestampedHeader(SECRET, AT.minusSeconds(31), bytes(BODY))), TIMESTAMP_OUT_OF_TOLERANCE);
        assertRejected(verifier, request(BODY, HEADER, SIGNATURE), MISSING_HEADER);
    }

    @Test
    void acceptsEitherSecretDuringRotationButNotAThird() {
        TimestampedHmacVerifier verifier = verifierAt(AT, "old-secret", "new-secret");
        for (String secret : List.of("old-secret", "new-secret")) {
            assertAccepted(verifier, request(BODY, HEADER, WebhookSigner.timestampedHeader(secret, AT, bytes(BODY))));
        }
        String bothSignatures = T + ",v1=" + WebhookSigner.timestampedSignature("third-secret", AT, bytes(BODY))
                + ",v1=" + WebhookSigner.timestampedSignature("new-secret", AT, bytes(BODY));
        assertAccepted(verifier, request(BODY, HEADER, bothSignatures));
        assertRejected(verifier, request(BODY, HEADER, WebhookSigner.timestampedHeader("third-secret", AT, bytes(BODY))),
                SIGNATURE_MISMATCH, "old-secret", "new-secret", "third-secret");
    }

    @Test
    void rejectsTamperedPrettyPrintedBodyAndWrongSecret() {
        assertRejected(verifierAt(AT, SECRET), request("{\"id\":\"evt_1\",\"type\":\"booking.deleted\"}", HEADER,
                SIGNATURE), SIGNATURE_MISMATCH);
        assertRejected(verifierAt(AT, SECRET), request("{\n  \"id\": \"evt_1\",\n  \"type\": \"booking.created\"\n}",
                HEADER, SIGNATURE), SIGNATURE_MISMATCH);
        assertRejected(verifierAt(AT, "whsec_other"), request(BODY, HEADER, SIGNATURE), SIGNATURE_MISMATCH,
                "whsec_other", HEX, WebhookSigner.timestampedSignature("whsec_other", AT, bytes(BODY)));
        // Same instant, different text: the signed content is the timestamp as sent.
        assertRejected(verifierAt(AT, SECRET), request(BODY, HEADER, "t=0" + AT.getEpochSecond() + ",v1=" + HEX),
                SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsMissingAndRepeatedHeader() {
        assertRejected(verifierAt(AT, SECRET), request(BODY, "Stripe-Signature", SIGNATURE), MISSING_HEADER);
        assertRejected(verifierAt(AT, SECRET), request(BODY, HEADER, SIGNATURE, HEADER.toUpperCase(), SIGNATURE),
                REPEATED_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",", "t=1700000000,", ",t=1700000000", "t=1700000000,,v1=00", "v1=" + "ab",
            "t=1700000000,v1", "t=1700000000,=abc", "t=,v1=00", "t=abc", "t=-1700000000", "t=+1700000000",
            "t=1700000000.5", "t=99999999999999999999", "t=9223372036854775808", "t=1700000000,t=1700000000",
            "t=1700000000,v1=zz", "t=1700000000,v1=6c258a22d026c1f80f38ed5c40cc397aed1c15add5769e6ed13889c5c9d06c3",
            "t=1700000000,v1=6c258a22d026c1f80f38ed5c40cc397aed1c15add5769e6ed13889c5c9d06c399",
            "t=1700000000 v1=6c258a22d026c1f80f38ed5c40cc397aed1c15add5769e6ed13889c5c9d06c39",
            "t=\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660"})
    void rejectsMalformedHeaders(String value) {
        assertRejected(verifierAt(AT, SECRET), request(BODY, HEADER, value), MALFORMED_HEADER);
    }

    @Test
    void rejectsEverythingWithoutSecretsAndRefusesBadConfiguration() {
        assertRejected(verifierAt(AT), request(BODY, HEADER, SIGNATURE), NO_SECRET);
        Clock clock = Clock.systemUTC();
        assertThatThrownBy(() -> new TimestampedHmacVerifier(List.of(""), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimestampedHmacVerifier(List.of(SECRET), HEADER, Duration.ofSeconds(-5), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(verifierAt(AT, SECRET).toString()).doesNotContain(SECRET);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
