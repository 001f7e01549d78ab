package io.bookinghub.connectors.booksy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.testkit.TestContext;
import io.bookinghub.toolkit.paging.Page;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BooksyClientTest {
    private static final String STAFF = "/api/v1/staff";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private TestContext ctx;
    private RecordingSleeper sleeper;

    /** Always returns the same fraction, so backoff values are exact. */
    private static RandomGenerator fixed(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    private BooksyClient apiKeyClient(Map<String, Object> overrides) {
        Map<String, Object> values = BooksyContexts.apiKeyValues(wm.baseUrl());
        values.putAll(overrides);
        ctx = BooksyContexts.of(values);
        sleeper = new RecordingSleeper(ctx.clock());
        BooksyConfig config = BooksyConfig.from(ctx.config());
        return new BooksyClient(ctx, config, null, BooksyRatePacingTest.pacer(ctx.rateBudget(), 1000, 1000, ctx.clock(), sleeper));
    }

    private void stubSequence(String path, int... statuses) {
        String state = STARTED;
        for (int i = 0; i < statuses.length; i++) {
            String next = "step-" + (i + 1);
            var response = statuses[i] == 200 ? okJson("{\"data\":[],\"attempt\":" + (i + 1) + "}")
                    : aResponse().withStatus(statuses[i]).withBody("{\"error\":{\"code\":\"busy\",\"message\":\"x\"}}");
            wm.stubFor(get(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(response).willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void sendsApiKeyHeaderAndQueryAndAuditsTheCallWithoutQuery() {
        BooksyClient client = apiKeyClient(Map.of());
        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(okJson("{\"data\":[{\"id\":\"s-1\"}]}")));

        JsonNode body = client.get(STAFF, Map.of("business_id", "b-1001"));

        assertThat(body.path("data").get(0).path("id").asText()).isEqualTo("s-1");
        wm.verify(1, getRequestedFor(urlPathEqualTo(STAFF)).withQueryParam("business_id", equalTo("b-1001"))
                .withHeader("X-Api-Key", equalTo(BooksyContexts.API_KEY)).withoutHeader("Authorization"));
        assertThat(ctx.audit().calls()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("GET");
            assertThat(c.path()).isEqualTo(STAFF);
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.error()).isNull();
            assertThat(c.startedAt()).isEqualTo(BooksyContexts.NOW);
        });
    }

    @Test
    void retries503TwiceThenSucceedsWithFullJitterBackoff() {
        BooksyClient client = apiKeyClient(Map.of());
        stubSequence(STAFF, 503, 503, 200);

        JsonNode body = client.get(STAFF, Map.of());

        assertThat(body.path("attempt").asInt()).isEqualTo(3);
        wm.verify(3, getRequestedFor(urlPathEqualTo(STAFF)));
        assertThat(ctx.audit().calls()).extracting(ConnectorAudit.ApiCall::attempt).containsExactly(1, 2, 3);
        assertThat(ctx.audit().calls()).extracting(ConnectorAudit.ApiCall::status).containsExactly(503, 503, 200);
        // Full jitter: sleep n is uniform in [0, min(cap, base * 2^(n-1))) with base 0.5 s.
        assertThat(sleeper.sleeps).hasSize(2);
        assertThat(sleeper.sleeps.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(500));
        assertThat(sleeper.sleeps.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(1000));
    }

    @Test
    void backoffUsesTheInjectedRandomAndIsCapped() {
        BooksyClient client = apiKeyClient(Map.of("backoffBase", "PT0.5S", "backoffCap", "PT1S"));
        ctx.withRandom(fixed(0.5));
        stubSequence(STAFF, 502, 504, 429, 503, 200);

        client.get(STAFF, Map.of());

        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheMappedCode() {
        BooksyClient client = apiKeyClient(Map.of("maxAttempts", "3"));
        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(aResponse().withStatus(429)));

        assertThatThrownBy(() -> client.get(STAFF, Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        wm.verify(3, getRequestedFor(urlPathEqualTo(STAFF)));
    }

    @Test
    void retryAfterSecondsIsHonouredWhenLongerThanBackoff() {
        BooksyClient client = apiKeyClient(Map.of());
        wm.stubFor(get(urlPathEqualTo(STAFF)).inScenario("ra").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")).willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(STAFF)).inScenario("ra").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"data\":[]}")));

        client.get(STAFF, Map.of());

        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
        wm.verify(2, getRequestedFor(urlPathEqualTo(STAFF)));
    }

    @Test
    void retryAfterHttpDateIsHonouredAgainstTheClock() {
        BooksyClient client = apiKeyClient(Map.of());
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(BooksyContexts.NOW.plusSeconds(20).atOffset(ZoneOffset.UTC));
        wm.stubFor(get(urlPathEqualTo(STAFF)).inScenario("ra").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", date)).willSetStateTo("ok"));
        wm.stubFor(get(urlPathEqualTo(STAFF)).inScenario("ra").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"data\":[]}")));

        client.get(STAFF, Map.of());

        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void retryAfterPausesOtherCallersOfTheConnection() {
        BooksyClient client = apiKeyClient(Map.of("maxAttempts", "1"));
        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
        wm.stubFor(get(urlPathEqualTo("/api/v1/clients")).willReturn(okJson("{\"data\":[]}")));

        assertThatThrownBy(() -> client.get(STAFF, Map.of())).isInstanceOf(ConnectorException.class);
        assertThat(sleeper.sleeps).isEmpty();
        client.get("/api/v1/clients", Map.of());

        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void postIsNeverRetried() {
        BooksyClient client = apiKeyClient(Map.of());
        wm.stubFor(post(urlPathEqualTo("/api/v1/appointments")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client.write("POST", "/api/v1/appointments", new ObjectMapper().createObjectNode(),
                Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/appointments")));
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void ioFailuresAreRetriedThenProviderUnavailable() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> values = BooksyContexts.apiKeyValues("http://127.0.0.1:" + closedPort);
        values.put("maxAttempts", "3");
        ctx = BooksyContexts.of(values);
        sleeper = new RecordingSleeper(ctx.clock());
        BooksyClient client = new BooksyClient(ctx, BooksyConfig.from(ctx.config()), null,
                BooksyRatePacingTest.pacer(ctx.rateBudget(), 1000, 1000, ctx.clock(), sleeper));

        assertThatThrownBy(() -> client.get(STAFF, Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
        assertThat(ctx.audit().calls()).extracting(ConnectorAudit.ApiCall::attempt).containsExactly(1, 2, 3);
        assertThat(ctx.audit().calls()).allSatisfy(c -> {
            assertThat(c.status()).isZero();
            assertThat(c.error()).isEqualTo("ConnectException");
        });
        assertThat(sleeper.sleeps).hasSize(2);
    }

    @Test
    void timeoutIsRetried() {
        BooksyClient client = apiKeyClient(Map.of("maxAttempts", "2", "requestTimeout", "PT0.3S"));
        wm.stubFor(get(urlPathEqualTo(STAFF)).inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(okJson("{\"data\":[]}").withFixedDelay(2_000)).willSetStateTo("fast"));
        wm.stubFor(get(urlPathEqualTo(STAFF)).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(okJson("{\"data\":[],\"fast\":true}")));

        assertThat(client.get(STAFF, Map.of()).path("fast").asBoolean()).isTrue();
        assertThat(ctx.audit().calls().get(0).error()).isEqualTo("HttpTimeoutException");
    }

    @Test
    void redirectIsNotFollowedAndIsProviderError() {
        BooksyClient client = apiKeyClient(Map.of());
        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(aResponse().withStatus(302).withHeader("Location", "/elsewhere")));
        wm.stubFor(get(urlPathEqualTo("/elsewhere")).willReturn(okJson("{\"data\":[]}")));

        assertThatThrownBy(() -> client.get(STAFF, Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("redirect");
                });
        wm.verify(0, getRequestedFor(urlPathEqualTo("/elsewhere")));
        wm.verify(1, getRequestedFor(urlPathEqualTo(STAFF)));
    }

    @Test
    void htmlPageAndTruncatedJsonAreProviderErrors() {
        BooksyClient client = apiKeyClient(Map.of());
        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Maintenance</body></html>")));
        assertThatThrownBy(() -> client.get(STAFF, Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR));

        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(okJson("{\"data\":[{\"id\":\"s-1\",")));
        assertThatThrownBy(() -> client.get(STAFF, Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR));

        wm.verify(2, getRequestedFor(urlPathEqualTo(STAFF)));
        // An HTML error page with a 5xx is the provider being down (the toolkit's table): retried, then unavailable.
        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(aResponse().withStatus(500).withBody("<html>oops</html>")));
        assertThatThrownBy(() -> client.get(STAFF, Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
    }

    @Test
    void statusesMapToErrorCodes() {
        BooksyClient client = apiKeyClient(Map.of("maxAttempts", "1"));
        Map<Integer, ErrorCode> expected = Map.of(400, ErrorCode.INVALID_INPUT, 401, ErrorCode.AUTH_REQUIRED,
                403, ErrorCode.AUTH_REQUIRED, 404, ErrorCode.NOT_FOUND, 422, ErrorCode.INVALID_INPUT,
                429, ErrorCode.RATE_LIMITED, 502, ErrorCode.PROVIDER_UNAVAILABLE, 503, ErrorCode.PROVIDER_UNAVAILABLE,
                504, ErrorCode.PROVIDER_UNAVAILABLE, 418, ErrorCode.PROVIDER_ERROR);
        expected.forEach((status, code) -> {
            wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(aResponse().withStatus(status)
                    .withBody("{\"error\":{\"code\":\"not_found\",\"message\":\"no such thing\"}}")));
            assertThatThrownBy(() -> client.get(STAFF, Map.of()))
                    .as("HTTP %d", status)
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo(code);
                        assertThat(e.getMessage()).contains("HTTP " + status).contains("not_found");
                    });
        });
    }

    @Test
    void unauthorizedRefreshesOnceAndRetriesOnce() {
        ctx = BooksyContexts.of(BooksyContexts.oauthValues(wm.baseUrl()));
        sleeper = new RecordingSleeper(ctx.clock());
        ctx.credentials().save(Map.of("access_token", "at-old", "refresh_token", "rt-1",
                "expires_at", BooksyContexts.NOW.plusSeconds(3000).toString()));
        wm.stubFor(post("/oauth/token").willReturn(okJson(
                "{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        wm.stubFor(get(urlPathEqualTo(STAFF)).withHeader("Authorization", equalTo("Bearer at-old"))
                .willReturn(aResponse().withStatus(401)));
        wm.stubFor(get(urlPathEqualTo(STAFF)).withHeader("Authorization", equalTo("Bearer at-new"))
                .willReturn(okJson("{\"data\":[]}")));

        try (BooksyConnector connector = new BooksyConnector(new BooksyConnectorFactory().descriptor(), ctx,
                BooksyConfig.from(ctx.config()), sleeper)) {
            connector.client().get(STAFF, Map.of());
        }

        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
        wm.verify(1, getRequestedFor(urlPathEqualTo(STAFF)).withHeader("Authorization", equalTo("Bearer at-old")));
        wm.verify(1, getRequestedFor(urlPathEqualTo(STAFF)).withHeader("Authorization", equalTo("Bearer at-new")));
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void secondUnauthorizedIsAuthRequiredAfterOneRefresh() {
        ctx = BooksyContexts.of(BooksyContexts.oauthValues(wm.baseUrl()));
        sleeper = new RecordingSleeper(ctx.clock());
        ctx.credentials().save(Map.of("access_token", "at-old", "refresh_token", "rt-1"));
        wm.stubFor(post("/oauth/token").willReturn(okJson(
                "{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        wm.stubFor(get(urlPathEqualTo(STAFF)).willReturn(aResponse().withStatus(401)));

        try (BooksyConnector connector = new BooksyConnector(new BooksyConnectorFactory().descriptor(), ctx,
                BooksyConfig.from(ctx.config()), sleeper)) {
            assertThatThrownBy(() -> connector.client().get(STAFF, Map.of()))
                    .isInstanceOfSatisfying(ConnectorException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_REQUIRED));
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
        wm.verify(2, getRequestedFor(urlPathEqualTo(STAFF)));
    }

    @Test
    void pagesAreFetchedLazilyOneAtATime() {
        BooksyClient client = apiKeyClient(Map.of("pageSize", "2"));
        wm.stubFor(get(urlPathEqualTo(STAFF)).withQueryParam("page", equalTo("1")).willReturn(okJson(
                "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"pagination\":{\"page\":1,\"per_page\":2,\"total_pages\":2}}")));
        wm.stubFor(get(urlPathEqualTo(STAFF)).withQueryParam("page", equalTo("2")).willReturn(okJson(
                "{\"data\":[{\"id\":\"c\"}],\"pagination\":{\"page\":2,\"per_page\":2,\"total_pages\":2}}")));

        Iterator<Page<JsonNode, Integer>> pages = client.pages(STAFF, Map.of("business_id", "b-1001")).iterator();
        Page<JsonNode, Integer> first = pages.next();
        wm.verify(1, getRequestedFor(urlPathEqualTo(STAFF)));
        Page<JsonNode, Integer> second = pages.next();

        assertThat(first.items()).extracting(n -> n.path("id").asText()).containsExactly("a", "b");
        assertThat(second.items()).extracting(n -> n.path("id").asText()).containsExactly("c");
        assertThat(second.totalPages()).isEqualTo(2);
        assertThat(pages.hasNext()).isFalse();
        wm.verify(1, getRequestedFor(urlPathEqualTo(STAFF)).withQueryParam("page", equalTo("2"))
                .withQueryParam("per_page", equalTo("2")).withQueryParam("business_id", equalTo("b-1001")));
    }
}
