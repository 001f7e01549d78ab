package io.bookinghub.connectors.zapier;

import static io.bookinghub.connectors.zapier.Fixtures.PREVIOUS_SECRET;
import static io.bookinghub.connectors.zapier.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.spi.webhook.WebhookVerificationException.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Bearer and HMAC authentication with the shared secret, including rotation. */
class VerificationTest {
    private static final String BODY = Fixtures.ONE_APPOINTMENT;

    private static WebhookHandler handler(Map<String, Object> extra) {
        return Fixtures.handler(Fixtures.config(Fixtures.APPOINTMENT_MAPPING, extra));
    }

    private static void assertRefused(WebhookHandler handler, WebhookRequest request, Reason reason) {
        WebhookVerificationException e = catchThrowableOfType(() -> handler.verify(request),
                WebhookVerificationException.class);
        assertThat(e).as("request must be refused with %s", reason).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(PREVIOUS_SECRET).doesNotContain("wrong-");
    }

    @Nested
    class Bearer {
        private final WebhookHandler handler = handler(Map.of("previousSharedSecret", PREVIOUS_SECRET));

        @Test
        void bearerIsTheDefaultAndAcceptsTheCurrentAndThePreviousSecret() {
            assertThatCode(() -> handler.verify(Fixtures.bearer(SECRET, BODY))).doesNotThrowAnyException();
            assertThatCode(() -> handler.verify(Fixtures.bearer(PREVIOUS_SECRET, BODY))).doesNotThrowAnyException();
            assertThatCode(() -> handler.verify(new WebhookRequest(Fixtures.bytes(BODY),
                    Map.of("authorization", List.of("bearer  " + SECRET + " ")))))
                    .as("scheme and header name are case-insensitive").doesNotThrowAnyException();
        }

        @Test
        void aWrongTokenIsAMismatch() {
            assertRefused(handler, Fixtures.bearer("wrong-" + SECRET, BODY), Reason.SIGNATURE_MISMATCH);
            assertRefused(handler, Fixtures.bearer(SECRET.substring(1), BODY), Reason.SIGNATURE_MISMATCH);
            // "Bearer" with nothing after it carries no token at all.
            assertRefused(handler, Fixtures.bearer("", BODY), Reason.MALFORMED_HEADER);
        }

        @Test
        void theSecretOnlyCountsAsABearerToken() {
            assertRefused(handler, Fixtures.unsigned(BODY), Reason.MISSING_HEADER);
            assertRefused(handler, new WebhookRequest(Fixtures.bytes(BODY), Map.of("Authorization",
                    List.of("Bearer " + SECRET, "Bearer " + SECRET))), Reason.MISSING_HEADER);
            assertRefused(handler, new WebhookRequest(Fixtures.bytes(BODY), Map.of("Authorization",
                    List.of("Basic " + SECRET))), Reason.MALFORMED_HEADER);
            assertRefused(handler, new WebhookRequest(Fixtures.bytes(BODY), Map.of("Authorization",
                    List.of(SECRET))), Reason.MALFORMED_HEADER);
            // An HMAC of the body is no substitute in bearer mode.
            assertRefused(handler, Fixtures.hmac("X-Signature", SECRET, BODY), Reason.MISSING_HEADER);
        }

        @Test
        void withoutRotationTheOldSecretIsRefused() {
            WebhookHandler current = handler(Map.of());
            assertRefused(current, Fixtures.bearer(PREVIOUS_SECRET, BODY), Reason.SIGNATURE_MISMATCH);
        }
    }

    @Nested
    class Hmac {
        private final WebhookHandler handler = handler(Map.of("authMode", "hmac",
                "previousSharedSecret", PREVIOUS_SECRET));

        @Test
        void acceptsABodySignedWithEitherSecretInXSignature() {
            assertThatCode(() -> handler.verify(Fixtures.hmac("X-Signature", SECRET, BODY)))
                    .doesNotThrowAnyException();
            assertThatCode(() -> handler.verify(Fixtures.hmac("x-signature", PREVIOUS_SECRET, BODY)))
                    .doesNotThrowAnyException();
        }

        @Test
        void refusesAWrongSecretAChangedBodyAndABearerToken() {
            assertRefused(handler, Fixtures.hmac("X-Signature", "wrong-" + SECRET, BODY), Reason.SIGNATURE_MISMATCH);
            WebhookRequest signed = Fixtures.hmac("X-Signature", SECRET, BODY);
            assertRefused(handler, new WebhookRequest(Fixtures.bytes(BODY.replace("45", "90")), signed.headers()),
                    Reason.SIGNATURE_MISMATCH);
            assertRefused(handler, Fixtures.bearer(SECRET, BODY), Reason.MISSING_HEADER);
            assertRefused(handler, new WebhookRequest(Fixtures.bytes(BODY), Map.of("X-Signature", List.of("md5=00"))),
                    Reason.MALFORMED_HEADER);
        }

        @Test
        void theHeaderIsConfigurable() {
            WebhookHandler custom = handler(Map.of("authMode", "hmac", "hmacHeader", "X-Make-Signature"));
            assertThatCode(() -> custom.verify(Fixtures.hmac("X-Make-Signature", SECRET, BODY)))
                    .doesNotThrowAnyException();
            assertRefused(custom, Fixtures.hmac("X-Signature", SECRET, BODY), Reason.MISSING_HEADER);
        }
    }

    @Test
    void noSecretShowsInToStringOrAccountId() {
        WebhookHandler handler = handler(Map.of("previousSharedSecret", PREVIOUS_SECRET));
        assertThat(handler.toString()).doesNotContain(SECRET).doesNotContain(PREVIOUS_SECRET);
        assertThat(handler.accountId()).isEqualTo("zapier");
        assertThat(handler(Map.of("accountId", "acuity-main")).accountId()).isEqualTo("acuity-main");
        assertThat(new ZapierInboundConnectorFactory().webhookAccountId(Fixtures.bearer(SECRET, BODY))).isEmpty();
    }
}
