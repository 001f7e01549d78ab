package io.bookinghub.toolkit.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.spi.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building requests and asserting verification outcomes. */
final class Requests {

    private Requests() {
    }

    /** A request with headers given as name, value, name, value...; a repeated name adds a value. */
    static WebhookRequest request(byte[] body, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.computeIfAbsent(namesAndValues[i], k -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return new WebhookRequest(body, headers);
    }

    static WebhookRequest request(String body, String... namesAndValues) {
        return request(body.getBytes(StandardCharsets.UTF_8), namesAndValues);
    }

    static WebhookRequest request(byte[] body, Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return new WebhookRequest(body, multi);
    }

    static void assertAccepted(WebhookSignatureVerifier verifier, WebhookRequest request) {
        assertThatCode(() -> verifier.verify(request)).doesNotThrowAnyException();
    }

    /** Asserts refusal with the reason, and that the message leaks none of the given strings. */
    static void assertRejected(WebhookSignatureVerifier verifier, WebhookRequest request, Reason reason,
            String... mustNotLeak) {
        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(WebhookVerificationException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
                    for (String secret : mustNotLeak) {
                        org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain(secret);
                    }
                });
    }
}
