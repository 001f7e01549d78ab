package io.bookinghub.toolkit.http;

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
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.RateBudget;
import io.bookinghub.toolkit.json.Json;
import io.bookinghub.toolkit.paging.JsonPages;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProviderHttpTest {
    private static final String KEY = "ak-very-secret-key";
    private static final String BOOKINGS = "/v1/bookings";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final FakeContext ctx = new FakeContext();

    private ProviderHttp.Builder builder() {
        return ProviderHttp.builder(ctx, "Example", wm.baseUrl() + "/v1/").auth(RequestAuth.header("X-Api-Key", KEY))
                .sleeper(ctx.sleeper);
    }

    private ProviderHttp client() {
        return builder().build();
    }

    /** Answers {@code responses} in turn to GET and POST on {@code path}, then keeps answering the last. */
    private void sequence(String path, ResponseDefinitionBuilder... responses) {
        String state = STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i + 1 < responses.length ? "step-" + (i + 1) : state;
            wm.stubFor(get(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            wm.stubFor(post(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    private static ResponseDefinitionBuilder status(int status) {
        return aResponse().withStatus(status).withBody("{\"error\":{\"code\":\"busy\",\"message\":\"echo " + KEY
                + "\"}}");
    }

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (ConnectorException e) {
            return e.code();
        }
        throw new AssertionError("no failure");
    }

    @Test
    void sendsTheCredentialAndQueryAndAuditsTheAttemptWithoutTheQuery() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(okJson("{\"data\":[{\"id\":\"b-1\"}]}")));

        JsonNode body = client().json(ProviderRequest.get("/bookings").list().query("page", "2")
                .query("updated_after", "2026-03-20T08:00:00Z").query("skipped", null));

        assertThat(body.path("data").get(0).path("id").asText()).isEqualTo("b-1");
        wm.verify(1, getRequestedFor(urlPathEqualTo(BOOKINGS)).withHeader("X-Api-Key", equalTo(KEY))
                .withHeader("Accept", equalTo("application/json")).withQueryParam("page", equalTo("2"))
                .withQueryParam("updated_after", equalTo("2026-03-20T08:00:00Z")).withoutQueryParam("skipped"));
        assertThat(ctx.calls).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("GET");
            assertThat(c.path()).isEqualTo("/bookings");
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.error()).isNull();
            assertThat(c.startedAt()).isEqualTo(FakeContext.NOW);
        });
    }

    @Test
    void retries5xxAnd429WithFullJitterBackoffFromTheContextsRandom() {
        sequence(BOOKINGS, status(503), status(500), status(429), status(502), okJson("{\"ok\":5}"));

        JsonNode body = builder().retry(RetryPolicy.DEFAULT.withBackoff(Duration.ofMillis(500), Duration.ofSeconds(1)))
                .build().get("/bookings", Map.of());

        assertThat(body.path("ok").asInt()).isEqualTo(5);
        wm.verify(5, getRequestedFor(urlPathEqualTo(BOOKINGS)));
        assertThat(ctx.calls).extracting(ConnectorAudit.ApiCall::attempt).containsExactly(1, 2, 3, 4, 5);
        assertThat(ctx.statuses()).containsExactly(503, 500, 429, 502, 200);
        // Random fraction 0.5 of min(cap 1 s, 0.5 s * 2^(n-1)).
        assertThat(ctx.sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(500),
                Duration.ofMillis(500));
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheMappedCode() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(status(500)));

        assertThatThrownBy(() -> builder().retry(RetryPolicy.DEFAULT.withMaxAttempts(3)).build()
                .get("/bookings", Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("Example GET /bookings answered HTTP 500 (busy)");
                });
        wm.verify(3, getRequestedFor(urlPathEqualTo(BOOKINGS)));
        assertThat(ctx.sleeps).hasSize(2);
    }

    @Test
    void retryAfterInSecondsIsHonouredThroughTheSleeper() {
        sequence(BOOKINGS, status(429).withHeader("Retry-After", "7"), okJson("{}"));

        client().get("/bookings", Map.of());

        assertThat(ctx.sleeps).containsExactly(Duration.ofSeconds(7));
        wm.verify(2, getRequestedFor(urlPathEqualTo(BOOKINGS)));
        assertThat(ctx.calls.get(1).startedAt()).isEqualTo(FakeContext.NOW.plusSeconds(7));
    }

    @Test
    void retryAfterAsHttpDateIsHonouredAgainstTheClock() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(FakeContext.NOW.plusSeconds(20)
                .atOffset(ZoneOffset.UTC));
        sequence(BOOKINGS, status(503).withHeader("Retry-After", date), okJson("{}"));

        client().get("/bookings", Map.of());

        assertThat(ctx.sleeps).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void retryAfterPausesTheConnectionsOtherCalls() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(status(429).withHeader("Retry-After", "30")));
        wm.stubFor(get(urlPathEqualTo("/v1/staff")).willReturn(okJson("{}")));
        ProviderHttp http = builder().retry(RetryPolicy.none()).build();

        assertThat(codeOf(() -> http.get("/bookings", Map.of()))).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(ctx.sleeps).isEmpty();
        http.get("/staff", Map.of());

        assertThat(ctx.sleeps).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void aRetryAfterPastTheDeadlineFailsAtOnceInsteadOfWaiting() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(status(503).withHeader("Retry-After", "120")));

        assertThat(codeOf(() -> builder().retry(RetryPolicy.DEFAULT.withDeadline(Duration.ofMinutes(1))).build()
                .get("/bookings", Map.of()))).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);

        wm.verify(1, getRequestedFor(urlPathEqualTo(BOOKINGS)));
        assertThat(ctx.sleeps).isEmpty();
    }

    @Test
    void theDeadlineBoundsRetriesAndWaitsTogether() {
        // Each 503 asks for 4 s; a 10 s deadline allows attempts at 0, 4 and 8 s, not at 12 s.
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(status(503).withHeader("Retry-After", "4")));

        assertThat(codeOf(() -> builder().retry(RetryPolicy.DEFAULT.withMaxAttempts(20)
                .withDeadline(Duration.ofSeconds(10))).build().get("/bookings", Map.of())))
                .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);

        wm.verify(3, getRequestedFor(urlPathEqualTo(BOOKINGS)));
        assertThat(ctx.sleeps).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4));
    }

    @Test
    void aPostIsNotRetriedUnlessItCarriesAnIdempotencyKey() {
        sequence(BOOKINGS, status(503), okJson("{\"id\":\"b-9\"}"));
        ProviderHttp http = client();
        JsonNode booking = Json.MAPPER.createObjectNode().put("service_id", "s-1");

        assertThat(codeOf(() -> http.json(ProviderRequest.post("/bookings").json(booking))))
                .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        wm.verify(1, postRequestedFor(urlPathEqualTo(BOOKINGS)));
        assertThat(ctx.sleeps).isEmpty();

        wm.resetScenarios();
        JsonNode created = http.json(ProviderRequest.post("/bookings").json(booking)
                .idempotencyKey("Idempotency-Key", "hub-key-1"));

        assertThat(created.path("id").asText()).isEqualTo("b-9");
        wm.verify(2, postRequestedFor(urlPathEqualTo(BOOKINGS)).withHeader("Idempotency-Key", equalTo("hub-key-1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalTo("{\"service_id\":\"s-1\"}")));
    }

    @Test
    void htmlOrMalformedJsonOnA2xxIsAProviderErrorNamingWhatCame() {
        ProviderHttp http = client();
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Maintenance</body></html>")));
        assertThatThrownBy(() -> http.get("/bookings", Map.of())).isInstanceOfSatisfying(ConnectorException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).isEqualTo(
                            "Example GET /bookings answered HTTP 200 with a body that is not JSON (Content-Type text/html)");
                });

        for (String body : new String[] {"{\"data\":[{\"id\":\"b-1\",", "", "42", "null"}) {
            wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(okJson(body)));
            assertThat(codeOf(() -> http.get("/bookings", Map.of()))).as(body).isEqualTo(ErrorCode.PROVIDER_ERROR);
        }
        // Not retried: the same request would get the same page.
        wm.verify(5, getRequestedFor(urlPathEqualTo(BOOKINGS)));
        assertThat(ctx.calls).allSatisfy(c -> assertThat(c.error()).contains("not JSON"));
    }

    @Test
    void statusesMapByTheOneTableAndMessagesCarryNoSecretOrBody() {
        ProviderHttp http = builder().retry(RetryPolicy.none()).build();
        Map<Integer, ErrorCode> item = new LinkedHashMap<>();
        item.put(400, ErrorCode.INVALID_INPUT);
        item.put(422, ErrorCode.INVALID_INPUT);
        item.put(401, ErrorCode.AUTH_REQUIRED);
        item.put(403, ErrorCode.AUTH_REQUIRED);
        item.put(404, ErrorCode.NOT_FOUND);
        item.put(409, ErrorCode.CONFLICT);
        item.put(412, ErrorCode.VERSION_MISMATCH);
        item.put(418, ErrorCode.PROVIDER_ERROR);
        item.put(429, ErrorCode.RATE_LIMITED);
        item.put(500, ErrorCode.PROVIDER_UNAVAILABLE);
        item.put(501, ErrorCode.PROVIDER_UNAVAILABLE);
        item.put(504, ErrorCode.PROVIDER_UNAVAILABLE);
        item.forEach((status, code) -> {
            wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(status(status)));
            assertThatThrownBy(() -> http.get("/bookings", Map.of("token", "query-secret"))).as("HTTP %d", status)
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo(code);
                        assertThat(e.getMessage()).isEqualTo("Example GET /bookings answered HTTP " + status + " (busy)")
                                .doesNotContain(KEY).doesNotContain("query-secret").doesNotContain("echo");
                    });
        });
        assertThat(ctx.calls).allSatisfy(c -> assertThat(c.path()).isEqualTo("/bookings"));

        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(status(404)));
        assertThat(codeOf(() -> http.json(ProviderRequest.get("/bookings").list())))
                .as("a 404 on a list is a missing endpoint, not an empty list").isEqualTo(ErrorCode.PROVIDER_ERROR);
    }

    @Test
    void aRedirectIsNotFollowed() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(aResponse().withStatus(302).withHeader("Location", "/x")));

        assertThatThrownBy(() -> client().get("/bookings", Map.of())).isInstanceOfSatisfying(ConnectorException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("redirect");
                });
        wm.verify(0, getRequestedFor(urlPathEqualTo("/x")));
    }

    @Test
    void theProvidersErrorCodeCanRefineTheTable() {
        wm.stubFor(post(urlPathEqualTo(BOOKINGS)).willReturn(aResponse().withStatus(409)
                .withBody("{\"error\":\"slot_unavailable\"}")));
        ProviderHttp http = builder().refineErrors((status, providerCode, mapped) ->
                "slot_unavailable".equals(providerCode) ? ErrorCode.SLOT_UNAVAILABLE : mapped).build();

        assertThat(codeOf(() -> http.send(ProviderRequest.post("/bookings")))).isEqualTo(ErrorCode.SLOT_UNAVAILABLE);
    }

    @Test
    void a401RefreshesTheBearerTokenOnceAndSendsAgain() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).withHeader("Authorization", equalTo("Bearer at-old"))
                .willReturn(aResponse().withStatus(401)));
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).withHeader("Authorization", equalTo("Bearer at-new"))
                .willReturn(okJson("{}")));
        String[] token = {"at-old"};
        List<String> rejected = new ArrayList<>();
        ProviderHttp http = builder().auth(RequestAuth.bearer(() -> token[0], t -> {
            rejected.add(t);
            token[0] = "at-new";
        })).build();

        http.get("/bookings", Map.of());

        assertThat(rejected).containsExactly("at-old");
        assertThat(ctx.statuses()).containsExactly(401, 200);
        assertThat(ctx.sleeps).isEmpty();

        // A second 401 after the refresh: the credential does not work, an admin must reconnect.
        token[0] = "at-old";
        AtomicInteger refreshes = new AtomicInteger();
        ProviderHttp stuck = builder().auth(RequestAuth.bearer(() -> "at-old", t -> refreshes.incrementAndGet()))
                .build();
        assertThat(codeOf(() -> stuck.get("/bookings", Map.of()))).isEqualTo(ErrorCode.AUTH_REQUIRED);
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void aBearerTokenFromTheCredentialStoreIsSentAndItsAbsenceIsAuthRequired() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(okJson("{}")));
        ProviderHttp http = builder().auth(RequestAuth.bearerFromCredentials(ctx.credentials(), "access_token"))
                .build();

        assertThat(codeOf(() -> http.get("/bookings", Map.of()))).isEqualTo(ErrorCode.AUTH_REQUIRED);
        wm.verify(0, getRequestedFor(urlPathEqualTo(BOOKINGS)));

        ctx.credentials().save(Map.of("access_token", "at-1"));
        http.get("/bookings", Map.of());
        wm.verify(1, getRequestedFor(urlPathEqualTo(BOOKINGS)).withHeader("Authorization", equalTo("Bearer at-1")));
    }

    @Test
    void transportFailuresAreRetriedThenProviderUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderHttp http = ProviderHttp.builder(ctx, "Example", "http://127.0.0.1:" + closedPort)
                .retry(RetryPolicy.DEFAULT.withMaxAttempts(3)).sleeper(ctx.sleeper).build();

        assertThatThrownBy(() -> http.get("/bookings", Map.of())).isInstanceOfSatisfying(ConnectorException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo(
                            "Example GET /bookings failed after 3 attempt(s): ConnectException");
                });
        assertThat(ctx.calls).extracting(ConnectorAudit.ApiCall::error).containsOnly("ConnectException");
        assertThat(ctx.sleeps).hasSize(2);
    }

    @Test
    void aTimeoutIsRetried() {
        sequence(BOOKINGS, okJson("{}").withFixedDelay(2_000), okJson("{\"fast\":true}"));

        JsonNode body = builder().timeouts(Duration.ofSeconds(1), Duration.ofMillis(300)).build()
                .get("/bookings", Map.of());

        assertThat(body.path("fast").asBoolean()).isTrue();
        assertThat(ctx.calls.get(0).error()).isEqualTo("HttpTimeoutException");
    }

    @Test
    void aDestinationThePolicyRefusesIsAuditedAndNotRetried() {
        AtomicInteger sent = new AtomicInteger();
        ctx.http = request -> {
            sent.incrementAndGet();
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "destination 10.0.0.1:443 refused: private address");
        };

        assertThat(codeOf(() -> client().get("/bookings", Map.of()))).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(sent).hasValue(1);
        assertThat(ctx.calls).singleElement().satisfies(c -> assertThat(c.error()).contains("refused"));
    }

    @Test
    void callsArePacedByTheHubsRateBudget() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(okJson("{}")));
        ProviderHttp http = builder().rateLimit(new RateBudget.Limit(2, 1), "account:a-1").build();

        for (int i = 0; i < 3; i++) {
            http.get("/bookings", Map.of());
        }

        assertThat(ctx.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
        assertThat(ctx.nextPermit).containsOnlyKeys("account:a-1");
    }

    @Test
    void numberedPagesWithANextPageEnvelopeAreReadToTheEnd() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).withQueryParam("page", equalTo("1"))
                .willReturn(okJson("{\"data\":[{\"id\":\"b-1\"},{\"id\":\"b-2\"}],\"next_page\":2}")));
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).withQueryParam("page", equalTo("2"))
                .willReturn(okJson("{\"data\":[{\"id\":\"b-3\"}],\"next_page\":null}")));

        List<String> ids = new ArrayList<>();
        JsonPages.numbered(client(), ProviderRequest.get("/bookings").query("updated_after", "2026-03-20T08:00:00Z"),
                "page", "per_page", 2, "data", "next_page").forEach(p -> p.items().forEach(i -> ids.add(i.path("id")
                .asText())));

        assertThat(ids).containsExactly("b-1", "b-2", "b-3");
        wm.verify(2, getRequestedFor(urlPathEqualTo(BOOKINGS)).withQueryParam("per_page", equalTo("2"))
                .withQueryParam("updated_after", equalTo("2026-03-20T08:00:00Z")).withHeader("X-Api-Key", equalTo(KEY)));
        // Marked as a list: a 404 is a missing endpoint, never an empty list.
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).withQueryParam("page", equalTo("1")).willReturn(status(404)));
        assertThat(codeOf(() -> JsonPages.numbered(client(), ProviderRequest.get("/bookings"), "page", "per_page", 2,
                "data", "next_page").count())).isEqualTo(ErrorCode.PROVIDER_ERROR);
    }

    @Test
    void aBodyOverTheCapIsAProviderError() {
        wm.stubFor(get(urlPathEqualTo(BOOKINGS)).willReturn(okJson("{\"data\":\"" + "x".repeat(200) + "\"}")));

        assertThatThrownBy(() -> builder().maxResponseBytes(100).build().get("/bookings", Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("over 100 bytes");
                });
    }
}
