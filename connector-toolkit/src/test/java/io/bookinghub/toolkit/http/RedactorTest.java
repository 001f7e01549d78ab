package io.bookinghub.toolkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Moved from Booksy's BooksyLogSecrecyTest with the redactor itself. */
class RedactorTest {
    @Test
    void redactorMasksHeadersQueryFormAndJson() {
        Redactor r = new Redactor(List.of("X-Booksy-Key"));
        assertThat(r.headers(Map.of("X-Booksy-Key", List.of("k1"), "Accept", List.of("application/json"))))
                .contains("X-Booksy-Key=" + Redactor.MASK).contains("Accept=application/json").doesNotContain("k1");
        assertThat(r.form("grant_type=authorization_code&code=abc&code_verifier=v1&redirect_uri=x"))
                .isEqualTo("grant_type=authorization_code&code=" + Redactor.MASK + "&code_verifier="
                        + Redactor.MASK + "&redirect_uri=x");
        assertThat(r.body("{\"access_token\" : \"a\\\"b\",\"expires_in\":3600,\"client_secret\":\"s\","
                + "\"error\":{\"code\":\"not_found\",\"message\":\"Bearer abc.def rejected\"},"
                + "\"items\":[{\"Password\":1}]}"))
                .isEqualTo("{\"access_token\":\"" + Redactor.MASK + "\",\"expires_in\":3600,\"client_secret\":\""
                        + Redactor.MASK + "\",\"error\":{\"code\":\"not_found\",\"message\":\"Bearer "
                        + Redactor.MASK + " rejected\"},\"items\":[{\"Password\":\"" + Redactor.MASK
                        + "\"}]}");
        // Not JSON as a whole: the fragment and form-style parameters are still masked.
        assertThat(r.body("<html>{\"refresh_token\": \"r1\"} ?token=t1 end"))
                .isEqualTo("<html>{\"refresh_token\": " + Redactor.MASK + "} ?token=" + Redactor.MASK
                        + " end");
        assertThat(r.body("Authorization: Bearer abc.def")).doesNotContain("abc.def");
    }

    @Test
    void redactorMasksALongEscapedTokenWithoutOverflowingTheStack() {
        // The old regex recursed once per character: a 5,000-character token, many of them escapes,
        // overflowed the stack on a worker thread with debug on.
        String token = "t".repeat(3000) + "\\\"".repeat(3000);
        String body = "{\"access_token\":\"" + token + "\",\"note\":\"" + token + "\"}";
        Redactor r = new Redactor(List.of());
        String redacted = r.body(body);
        assertThat(redacted).startsWith("{\"access_token\":\"" + Redactor.MASK + "\",\"note\":\"ttt")
                .endsWith("...(truncated)");
        // Bodies that are not JSON as a whole take the text path, which must not overflow either.
        assertThat(r.body("error " + body)).startsWith("error {\"access_token\":" + Redactor.MASK);
        assertThat(r.body("error {\"access_token\":\"" + "t".repeat(6000) + "\"}"))
                .isEqualTo("error {\"access_token\":" + Redactor.MASK + "}");
    }
}
