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

class UrlBodyHmacVerifierTest {

    private static final String HEADER = UrlBodyHmacVerifier.DEFAULT_HEADER;
    private static final String KEY = TestVectors.get("square.key");
    private static final String URL = TestVectors.get("square.url");
    private static final String BODY = TestVectors.get("square.body");
    private static final String SIGNATURE = TestVectors.get("square.signature");

    private static final UrlBodyHmacVerifier VERIFIER = new UrlBodyHmacVerifier(List.of(KEY), URL);

    @Test
    void acceptsPublicVector() {
        assertAccepted(VERIFIER, request(BODY, HEADER, SIGNATURE));
        assertAccepted(VERIFIER, request(BODY, "X-Square-HmacSha256-Signature", SIGNATURE));
        // Padding is optional in base64; the MAC bytes are the same.
        assertAccepted(VERIFIER, request(BODY, HEADER, SIGNATURE.replace("=", "")));
    }

    @Test
    void signerReproducesPublicVector() {
        assertThat(WebhookSigner.urlBodyHeader(KEY, URL, bytes(BODY))).isEqualTo(SIGNATURE);
    }

    @Test
    void rejectsPrettyPrintedBody() {
        assertRejected(VERIFIER, request(TestVectors.get("square.bodyPretty"), HEADER, SIGNATURE), SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsUrlWithOneCharacterChanged() {
        String altered = TestVectors.get("square.urlAltered");
        assertThat(altered).hasSameSizeAs(URL).isNotEqualTo(URL);
        assertRejected(new UrlBodyHmacVerifier(List.of(KEY), altered), request(BODY, HEADER, SIGNATURE),
                SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsSignatureDifferingOnlyInItsLastByte() {
        byte[] mac = java.util.Base64.getDecoder().decode(SIGNATURE);
        mac[31] ^= 1;
        assertRejected(VERIFIER, request(BODY, HEADER, java.util.Base64.getEncoder().encodeToString(mac)),
                SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsTamperedBodyAndWrongKeyWithoutLeakingThem() {
        assertRejected(VERIFIER, request(BODY.replace("MLEFBHHSJGVHD", "MLEFBHHSJGVHE"), HEADER, SIGNATURE),
                SIGNATURE_MISMATCH);
        String wrongKey = "Ibxx_5AKakO-3qeNVR61Dx";
        assertRejected(new UrlBodyHmacVerifier(List.of(wrongKey), URL), request(BODY, HEADER, SIGNATURE),
                SIGNATURE_MISMATCH, wrongKey, KEY, WebhookSigner.urlBodyHeader(wrongKey, URL, bytes(BODY)));
    }

    @Test
    void acceptsEitherKeyDuringRotationButNotAThird() {
        UrlBodyHmacVerifier verifier = new UrlBodyHmacVerifier(List.of("old-key", "new-key"), URL);
        assertAccepted(verifier, request(BODY, HEADER, WebhookSigner.urlBodyHeader("old-key", URL, bytes(BODY))));
        assertAccepted(verifier, request(BODY, HEADER, WebhookSigner.urlBodyHeader("new-key", URL, bytes(BODY))));
        assertRejected(verifier, request(BODY, HEADER, WebhookSigner.urlBodyHeader("third-key", URL, bytes(BODY))),
                SIGNATURE_MISMATCH, "old-key", "new-key", "third-key");
    }

    @Test
    void readsConfiguredHeaderAndRejectsMissingOrRepeated() {
        UrlBodyHmacVerifier custom = new UrlBodyHmacVerifier(List.of(KEY), "X-Sig", URL);
        assertAccepted(custom, request(BODY, "x-sig", SIGNATURE));
        assertRejected(custom, request(BODY, HEADER, SIGNATURE), MISSING_HEADER);
        assertRejected(VERIFIER, request(BODY, HEADER, SIGNATURE, HEADER, SIGNATURE), REPEATED_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW",
            "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=GF4Y", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW_S6vkZ9_2N4=",
            "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4==", "sha256=GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=",
            "GF4Ykr JgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=", "\u00e9\u00e9\u00e9\u00e9"})
    void rejectsMalformedHeaders(String value) {
        assertRejected(VERIFIER, request(BODY, HEADER, value), MALFORMED_HEADER);
    }

    @Test
    void rejectsEverythingWithoutKeysAndRefusesBadConfiguration() {
        assertRejected(new UrlBodyHmacVerifier(List.of(), URL), request(BODY, HEADER, SIGNATURE), NO_SECRET);
        assertThatThrownBy(() -> new UrlBodyHmacVerifier(List.of(KEY), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UrlBodyHmacVerifier(List.of(""), URL)).isInstanceOf(IllegalArgumentException.class);
        assertThat(VERIFIER.toString()).doesNotContain(KEY);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
