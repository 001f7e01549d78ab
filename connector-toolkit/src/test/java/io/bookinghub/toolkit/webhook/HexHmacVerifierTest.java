package io.bookinghub.toolkit.webhook;

import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MALFORMED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.MISSING_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.NO_SECRET;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.REPEATED_HEADER;
import static io.bookinghub.spi.webhook.WebhookVerificationException.Reason.SIGNATURE_MISMATCH;
import static io.bookinghub.toolkit.webhook.Requests.assertAccepted;
import static io.bookinghub.toolkit.webhook.Requests.assertRejected;
import static io.bookinghub.toolkit.webhook.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HexHmacVerifierTest {

    private static final String SECRET = TestVectors.get("github.secret");
    private static final String BODY = TestVectors.get("github.body");
    private static final String HEADER = TestVectors.get("github.header");
    private static final String SIGNATURE = TestVectors.get("github.signature");
    private static final String HEX = SIGNATURE.substring("sha256=".length());

    private static final HexHmacVerifier VERIFIER = new HexHmacVerifier(List.of(SECRET));

    @Test
    void acceptsPublicVector() {
        assertThat(HexHmacVerifier.DEFAULT_HEADER).isEqualTo(HEADER);
        assertAccepted(VERIFIER, request(BODY, HEADER, SIGNATURE));
        assertAccepted(VERIFIER, request(BODY, HEADER.toLowerCase(), SIGNATURE));
    }

    @Test
    void acceptsUppercaseHexAndSurroundingWhitespace() {
        assertAccepted(VERIFIER, request(BODY, HEADER, "sha256=" + HEX.toUpperCase()));
        assertAccepted(VERIFIER, request(BODY, HEADER, " " + SIGNATURE + " "));
    }

    @Test
    void signerReproducesPublicVector() {
        assertThat(WebhookSigner.hexHmacHeader(SECRET, bytes(BODY))).isEqualTo(SIGNATURE);
    }

    @Test
    void rejectsTamperedAndPrettyPrintedBodies() {
        assertRejected(VERIFIER, request("Hello, World!\n", HEADER, SIGNATURE), SIGNATURE_MISMATCH);
        assertRejected(VERIFIER, request("Hello,  World!", HEADER, SIGNATURE), SIGNATURE_MISMATCH);
        assertRejected(VERIFIER, request("{\n  \"a\": 1\n}", HEADER, WebhookSigner.hexHmacHeader(SECRET,
                bytes("{\"a\":1}"))), SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsSignatureDifferingOnlyInItsLastDigit() {
        String lastDigitChanged = SIGNATURE.substring(0, SIGNATURE.length() - 1) + "6";
        assertThat(lastDigitChanged).isNotEqualTo(SIGNATURE);
        assertRejected(VERIFIER, request(BODY, HEADER, lastDigitChanged), SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsWrongSecretWithoutLeakingSecretOrExpectedSignature() {
        HexHmacVerifier verifier = new HexHmacVerifier(List.of("not it"));
        assertRejected(verifier, request(BODY, HEADER, SIGNATURE), SIGNATURE_MISMATCH, "not it",
                WebhookSigner.hexHmacHeader("not it", bytes(BODY)).substring(7));
    }

    @Test
    void acceptsEitherSecretDuringRotationButNotAThird() {
        HexHmacVerifier verifier = new HexHmacVerifier(List.of("old-secret", "new-secret"));
        assertAccepted(verifier, request(BODY, HEADER, WebhookSigner.hexHmacHeader("old-secret", bytes(BODY))));
        assertAccepted(verifier, request(BODY, HEADER, WebhookSigner.hexHmacHeader("new-secret", bytes(BODY))));
        assertRejected(verifier, request(BODY, HEADER, WebhookSigner.hexHmacHeader("third-secret", bytes(BODY))),
                SIGNATURE_MISMATCH, "old-secret", "new-secret", "third-secret");
    }

    @Test
    void readsConfiguredHeaderOnly() {
        HexHmacVerifier verifier = new HexHmacVerifier(List.of(SECRET), "X-Signature");
        assertAccepted(verifier, request(BODY, "x-signature", SIGNATURE));
        assertRejected(verifier, request(BODY, HEADER, SIGNATURE), MISSING_HEADER);
    }

    @Test
    void rejectsMissingAndRepeatedHeader() {
        assertRejected(VERIFIER, request(BODY, "X-Hub-Signature", SIGNATURE), MISSING_HEADER);
        assertRejected(VERIFIER, request(BODY, HEADER, SIGNATURE, HEADER, SIGNATURE), REPEATED_HEADER);
        assertRejected(VERIFIER, request(BODY, HEADER, SIGNATURE, HEADER.toLowerCase(), "sha256=00"), REPEATED_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256=", "sha1=" + "757107ea0eb2509fc211221cce984b8a37570b6d",
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "sha256:757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e170",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1g",
            "sha256= 757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
            "sha256=\uff17\uff15\uff17107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e",
            "sha256=dXVkWCYFkOhKSBmxz5BYmp5tldq3AcCrcVj2x0m1jPE="})
    void rejectsMalformedHeaders(String value) {
        assertRejected(VERIFIER, request(BODY, HEADER, value), MALFORMED_HEADER);
    }

    @Test
    void rejectsEverythingWithoutSecretsAndRefusesEmptySecret() {
        assertRejected(new HexHmacVerifier(List.of()), request(BODY, HEADER, SIGNATURE), NO_SECRET);
        assertThatThrownBy(() -> new HexHmacVerifier(List.of(SECRET, ""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secrets[1]");
        assertThatThrownBy(() -> new HexHmacVerifier(List.of(SECRET), " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(VERIFIER.toString()).doesNotContain(SECRET);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
