package io.bookinghub.booksy.sandbox;

import static io.bookinghub.booksy.sandbox.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResilienceTest {

    private static final String STAFF = "/api/v1/staff";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    private BooksySandbox sandbox;
    private TestHttp http;
    private String token;

    @BeforeEach
    void start() {
        sandbox = TestHttp.baseBuilder(clock).accessTokenTtl(Duration.ofDays(1)).build().start();
        http = new TestHttp(sandbox);
        token = sandbox.issueTokens().accessToken();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void exceedingTheBurstGives429WithRetryAfterUntilTheBucketRefills() {
        sandbox.rateLimit(0.5, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(http.get(STAFF, token).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = http.get(STAFF, token);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("2");
        assertThat(json(limited).get("error").get("code").asText()).isEqualTo("rate_limited");
        assertThat(sandbox.rateLimitedCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(http.get(STAFF, token).statusCode()).as("half a token is not enough").isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(http.get(STAFF, token).statusCode()).isEqualTo(200);
        assertThat(http.get(STAFF, token).statusCode()).isEqualTo(429);
        assertThat(sandbox.requestCount(STAFF)).isEqualTo(7);
    }

    @Test
    void rateLimitFromTheBuilderAppliesToApiButNotToOAuth() {
        try (BooksySandbox limited = TestHttp.baseBuilder(clock).rateLimit(1, 1).build().start()) {
            TestHttp h = new TestHttp(limited);
            String t = limited.issueTokens().accessToken();
            assertThat(h.get(STAFF, t).statusCode()).isEqualTo(200);
            assertThat(h.get(STAFF, t).statusCode()).isEqualTo(429);
            String refresh = limited.issueTokens().refreshToken();
            assertThat(h.refresh(refresh).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void failNextInjectsStatusesThenRecovers() {
        sandbox.failNext(2, 503);
        sandbox.failNext(1, 500);

        HttpResponse<String> first = http.get(STAFF, token);
        HttpResponse<String> second = http.get(STAFF, token);
        HttpResponse<String> third = http.get(STAFF, token);
        HttpResponse<String> fourth = http.get(STAFF, token);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(first).get("error").get("code").asText()).isEqualTo("service_unavailable");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(500);
        assertThat(third.headers().firstValue("Retry-After")).isEmpty();
        assertThat(fourth.statusCode()).isEqualTo(200);
        assertThat(sandbox.pendingFaults()).isZero();
    }

    @Test
    void injectedRetryAfterCanBeAnHttpDate() {
        sandbox.failNextWithRetryAfter(1, 429, "Fri, 20 Nov 2026 10:00:05 GMT");

        HttpResponse<String> r = http.get(STAFF, token);

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).contains("Fri, 20 Nov 2026 10:00:05 GMT");
    }

    @Test
    void apiFaultsDoNotHitTheTokenEndpointUnlessAskedTo() {
        sandbox.failNext(1, 502);
        String refresh = sandbox.issueTokens().refreshToken();
        assertThat(http.refresh(refresh).statusCode()).isEqualTo(200);
        assertThat(http.get(STAFF, token).statusCode()).isEqualTo(502);

        sandbox.failNext("/oauth/token", 1, 503);
        assertThat(http.get(STAFF, token).statusCode()).isEqualTo(200);
        assertThat(http.postForm("/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", "x"), true)
                .statusCode()).isEqualTo(503);
    }

    @Test
    void htmlFaultReturnsAProxyPageThatIsNotJson() {
        sandbox.failNextWithHtml(1);
        sandbox.failNextWithHtml(1, 200);

        HttpResponse<String> r = http.get(STAFF, token);
        HttpResponse<String> portal = http.get(STAFF, token);

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.body()).startsWith("<!DOCTYPE html>");
        assertThat(portal.statusCode()).isEqualTo(200);
        assertThat(portal.body()).startsWith("<!DOCTYPE html>");
        assertThat(http.get(STAFF, token).statusCode()).isEqualTo(200);
    }

    @Test
    void truncatedBodyIsA200ThatDoesNotParse() {
        sandbox.truncateNext(1);

        HttpResponse<String> cut = http.get(STAFF, token);
        HttpResponse<String> whole = http.get(STAFF, token);

        assertThat(cut.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> TestHttp.JSON.readTree(cut.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(whole.body()).startsWith(cut.body());
        assertThat(json(whole).get("data").size()).isPositive();
    }

    @Test
    void latencyDoesNotChangeResponses() {
        sandbox.latency(Duration.ofMillis(20));

        HttpResponse<String> r = http.get(STAFF, token);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("pagination").get("total_count").asInt()).isEqualTo(7);
    }
}
