package io.bookinghub.spi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundRecordsTest {
    private static final URI URL = URI.create("https://api.example/v1/x?access_token=s3cret");
    private static final Duration T = Duration.ofSeconds(5);

    private static OutboundRequest request(String method, URI uri, Map<String, List<String>> headers, Duration t) {
        return new OutboundRequest(method, uri, headers, null, t, t);
    }

    @Test
    void aRequestIsValidatedAndCopied() {
        byte[] body = "a".getBytes(StandardCharsets.UTF_8);
        OutboundRequest r = new OutboundRequest("POST", URL, Map.of("X-A", List.of("1")), body, T, T);
        body[0] = 'b';
        r.body()[0] = 'c';
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(request("GET", URL, Map.of(), T).body()).isEmpty();
        assertThat(r.toString()).doesNotContain("s3cret").contains("POST https://api.example");
    }

    @Test
    void badRequestsAreRefused() {
        assertThatThrownBy(() -> request("GE T", URL, Map.of(), T)).hasMessageContaining("method");
        assertThatThrownBy(() -> request("GET", URI.create("ftp://a.example/"), Map.of(), T))
                .hasMessageContaining("absolute http(s)");
        assertThatThrownBy(() -> request("GET", URI.create("/relative"), Map.of(), T))
                .hasMessageContaining("absolute http(s)");
        assertThatThrownBy(() -> request("GET", URL, Map.of("Host", List.of("evil")), T))
                .hasMessageContaining("set by the transport");
        assertThatThrownBy(() -> request("GET", URL, Map.of("X-A", List.of("1\r\nHost: evil")), T))
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> request("GET", URL, Map.of("Bad Name", List.of("1")), T))
                .hasMessageContaining("not an HTTP token");
        assertThatThrownBy(() -> request("GET", URL, Map.of(), Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> request("GET", URL, Map.of(), Duration.ofSeconds(-1)))
                .hasMessageContaining("positive");
    }

    @Test
    void responseHeaderNamesAreCaseInsensitive() {
        OutboundResponse r = new OutboundResponse(429, Map.of("Retry-After", List.of("3"), "retry-after",
                List.of("4")), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.headers()).containsOnlyKeys("retry-after");
        assertThat(r.headers().get("retry-after")).containsExactlyInAnyOrder("3", "4");
        assertThat(r.firstHeader("RETRY-AFTER")).isPresent();
        assertThat(r.firstHeader("Location")).isEmpty();
        assertThat(r.bodyText()).isEqualTo("{}");
        assertThat(r.toString()).isEqualTo("OutboundResponse[429, 2 bytes]");
        assertThatThrownBy(() -> new OutboundResponse(99, Map.of(), new byte[0])).hasMessageContaining("status");
    }
}
