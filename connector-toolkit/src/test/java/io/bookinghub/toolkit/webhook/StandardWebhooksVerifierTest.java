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

import io.bookinghub.spi.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhooksVerifierTest {

    private static final String SECRET = TestVectors.get("standard.secret");
    private static final String ID = TestVectors.get("standard.id");
    private static final String TIMESTAMP = TestVectors.get("standard.timestamp");
    private static final Instant AT = Instant.ofEpochSecond(Long.parseLong(TIMESTAMP));
    private static final String BODY = TestVectors.get("standard.body");
    private static final String SIGNATURE = TestVectors.get("standard.signature");

    private static final String OLD_SECRET = "whsec_" + base64("old secret, 24 bytes long");
    private static final String NEW_SECRET = "whsec_" + base64("new secret, 24 bytes long");
    private static final String OTHER_SECRET = "whsec_" + base64("some third secret, 32 by");

    private static StandardWebhooksVerifier verifierAt(Instant now, String... secrets) {
        return new StandardWebhooksVerifier(List.of(secrets), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static io.bookinghub.spi.webhook.WebhookRequest vectorRequest(String signatureHeader) {
        return request(BODY, "webhook-id", ID, "webhook-timestamp", TIMESTAMP, "webhook-signature", signatureHeader);
    }

    @Test
    void acceptsPublicVector() {
        assertAccepted(verifierAt(AT, SECRET), vectorRequest(SIGNATURE));
    }

    @Test
    void acceptsSecretWithoutPrefix() {
        String bare = SECRET.substring("whsec_".length());
        assertAccepted(verifierAt(AT, bare), vectorRequest(SIGNATURE));
    }

    @Test
    void acceptsHeaderWhereAnyV1EntryMatches() {
        assertAccepted(verifierAt(AT, SECRET), vectorRequest(TestVectors.get("standard.multiple")));
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        assertAccepted(verifierAt(AT, SECRET), request(BODY, "Webhook-Id", ID, "WEBHOOK-TIMESTAMP", TIMESTAMP,
                "Webhook-Signature", SIGNATURE));
    }

    static Stream<Arguments> rejectedVectors() {
        return IntStream.rangeClosed(1, 99)
                .filter(i -> TestVectors.has("standard.rejected." + i))
                .mapToObj(i -> Arguments.of(TestVectors.get("standard.rejected." + i),
                        Reason.valueOf(TestVectors.get("standard.rejected." + i + ".reason"))));
    }

    @ParameterizedTest
    @MethodSource("rejectedVectors")
    void rejectsPublicNegativeVectors(String signatureHeader, Reason reason) {
        assertThat(rejectedVectors()).hasSize(5);
        assertRejected(verifierAt(AT, SECRET), vectorRequest(signatureHeader), reason, SECRET, SIGNATURE.substring(3));
    }

    @Test
    void rejectsPrettyPrintedBody() {
        assertRejected(verifierAt(AT, SECRET), request(TestVectors.get("standard.bodyPretty"), "webhook-id", ID,
                "webhook-timestamp", TIMESTAMP, "webhook-signature", SIGNATURE), SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsTamperedBodyIdAndTimestamp() {
        StandardWebhooksVerifier verifier = verifierAt(AT, SECRET);
        assertRejected(verifier, request("{\"test\": 2432232315}", "webhook-id", ID, "webhook-timestamp", TIMESTAMP,
                "webhook-signature", SIGNATURE), SIGNATURE_MISMATCH);
        assertRejected(verifier, request(BODY, "webhook-id", ID + "x", "webhook-timestamp", TIMESTAMP,
                "webhook-signature", SIGNATURE), SIGNATURE_MISMATCH);
        // Same instant, different text: the signed content is the header as sent.
        assertRejected(verifier, request(BODY, "webhook-id", ID, "webhook-timestamp", "0" + TIMESTAMP,
                "webhook-signature", SIGNATURE), SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsWrongSecretWithoutLeakingIt() {
        String wrong = "whsec_" + base64("definitely not the secret");
        assertRejected(verifierAt(AT, wrong), vectorRequest(SIGNATURE), SIGNATURE_MISMATCH, wrong, SECRET);
    }

    @ParameterizedTest
    @ValueSource(longs = {-300, -1, 0, 1, 300})
    void acceptsTimestampsWithinToleranceEitherWay(long offsetSeconds) {
        Instant sent = AT.plusSeconds(offsetSeconds);
        Map<String, String> headers = WebhookSigner.standardWebhooksHeaders(OLD_SECRET, "msg_1", sent, bytes(BODY));
        assertAccepted(verifierAt(AT, OLD_SECRET), request(bytes(BODY), headers));
    }

    @ParameterizedTest
    @ValueSource(longs = {-301, 301, -86_400, 86_400})
    void rejectsTimestampsBeyondToleranceEitherWay(long offsetSeconds) {
        Instant sent = AT.plusSeconds(offsetSeconds);
        Map<String, String> headers = WebhookSigner.standardWebhooksHeaders(OLD_SECRET, "msg_1", sent, bytes(BODY));
        assertRejected(verifierAt(AT, OLD_SECRET), request(bytes(BODY), headers), TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void honoursConfiguredTolerance() {
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(List.of(OLD_SECRET), Duration.ofSeconds(10),
                Clock.fixed(AT, ZoneOffset.UTC));
        assertAccepted(verifier, request(bytes(BODY),
                WebhookSigner.standardWebhooksHeaders(OLD_SECRET, "m", AT.minusSeconds(10), bytes(BODY))));
        assertRejected(verifier, request(bytes(BODY),
                WebhookSigner.standardWebhooksHeaders(OLD_SECRET, "m", AT.plusSeconds(11), bytes(BODY))),
                TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void acceptsEitherSecretDuringRotationButNotAThird() {
        StandardWebhooksVerifier verifier = verifierAt(AT, OLD_SECRET, NEW_SECRET);
        for (String secret : List.of(OLD_SECRET, NEW_SECRET)) {
            assertAccepted(verifier, request(bytes(BODY),
                    WebhookSigner.standardWebhooksHeaders(secret, "msg_rot", AT, bytes(BODY))));
        }
        assertRejected(verifier, request(bytes(BODY),
                WebhookSigner.standardWebhooksHeaders(OTHER_SECRET, "msg_rot", AT, bytes(BODY))),
                SIGNATURE_MISMATCH, OLD_SECRET, NEW_SECRET, OTHER_SECRET);
    }

    @Test
    void acceptsSenderSigningWithBothSecretsInOneHeader() {
        String both = WebhookSigner.standardWebhooksSignature(OTHER_SECRET, "m", AT, bytes(BODY)) + " "
                + WebhookSigner.standardWebhooksSignature(NEW_SECRET, "m", AT, bytes(BODY));
        assertAccepted(verifierAt(AT, NEW_SECRET), request(BODY, "webhook-id", "m",
                "webhook-timestamp", Long.toString(AT.getEpochSecond()), "webhook-signature", both));
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
    void rejectsMissingHeader(String missing) {
        String[] headers = {"webhook-id", ID, "webhook-timestamp", TIMESTAMP, "webhook-signature", SIGNATURE};
        String[] without = IntStream.range(0, 3).filter(i -> !headers[2 * i].equals(missing))
                .boxed().flatMap(i -> Stream.of(headers[2 * i], headers[2 * i + 1])).toArray(String[]::new);
        assertRejected(verifierAt(AT, SECRET), request(BODY, without), MISSING_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
    void rejectsRepeatedHeaderEvenWithIdenticalValues(String repeated) {
        String value = Map.of("webhook-id", ID, "webhook-timestamp", TIMESTAMP, "webhook-signature", SIGNATURE)
                .get(repeated);
        assertRejected(verifierAt(AT, SECRET), request(BODY, "webhook-id", ID, "webhook-timestamp", TIMESTAMP,
                "webhook-signature", SIGNATURE, repeated.toUpperCase(), value), REPEATED_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1614265330", "+1614265330", " 1614265330", "1614265330 ", "1614265330.0",
            "1.6e9", "99999999999999999999", "9223372036854775808", "1234567890123456789",
            "\u0661\u0666\u0661\u0664\u0662\u0666\u0665\u0663\u0663\u0660", "\uff11\uff16"})
    void rejectsMalformedTimestamps(String timestamp) {
        assertRejected(verifierAt(AT, SECRET), request(BODY, "webhook-id", ID, "webhook-timestamp", timestamp,
                "webhook-signature", SIGNATURE), MALFORMED_HEADER);
    }

    @Test
    void farFutureTimestampThatFitsIsOutOfToleranceNotAnOverflow() {
        assertRejected(verifierAt(AT, SECRET), request(BODY, "webhook-id", ID, "webhook-timestamp",
                "999999999999999999", "webhook-signature", SIGNATURE), TIMESTAMP_OUT_OF_TOLERANCE);
        assertRejected(verifierAt(Instant.MAX, SECRET), request(BODY, "webhook-id", ID, "webhook-timestamp",
                "0", "webhook-signature", SIGNATURE), TIMESTAMP_OUT_OF_TOLERANCE);
        assertRejected(verifierAt(Instant.MIN, SECRET), request(BODY, "webhook-id", ID, "webhook-timestamp",
                "999999999999999999", "webhook-signature", SIGNATURE), TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ",abc", "v1", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1O",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA", "v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1", "v1,Zm9v"})
    void rejectsMalformedSignatureHeaders(String signatureHeader) {
        assertRejected(verifierAt(AT, SECRET), vectorRequest(signatureHeader), MALFORMED_HEADER);
    }

    @Test
    void rejectsEmptyId() {
        assertRejected(verifierAt(AT, SECRET), request(BODY, "webhook-id", "", "webhook-timestamp", TIMESTAMP,
                "webhook-signature", SIGNATURE), MALFORMED_HEADER);
    }

    @Test
    void rejectsEverythingWithoutSecrets() {
        assertRejected(new StandardWebhooksVerifier(List.of(), Clock.fixed(AT, ZoneOffset.UTC)),
                vectorRequest(SIGNATURE), NO_SECRET);
    }

    @Test
    void refusesUnusableSecretsAtConstructionWithoutEchoingThem() {
        Clock clock = Clock.systemUTC();
        assertThatThrownBy(() -> new StandardWebhooksVerifier(List.of(SECRET, "whsec_not*base64!"), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secrets[1]")
                .hasMessageNotContaining("not*base64");
        assertThatThrownBy(() -> new StandardWebhooksVerifier(List.of("whsec_"), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secrets[0]");
        assertThatThrownBy(() -> new StandardWebhooksVerifier(List.of(SECRET), Duration.ofSeconds(-1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new StandardWebhooksVerifier(List.of(SECRET), clock).toString())
                .doesNotContain(SECRET.substring(6)).contains("secrets=1");
    }

    @Test
    void signerReproducesPublicVector() {
        assertThat(WebhookSigner.standardWebhooksHeaders(SECRET, ID, AT, bytes(BODY))).containsExactly(
                Map.entry("webhook-id", ID), Map.entry("webhook-timestamp", TIMESTAMP),
                Map.entry("webhook-signature", SIGNATURE));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
