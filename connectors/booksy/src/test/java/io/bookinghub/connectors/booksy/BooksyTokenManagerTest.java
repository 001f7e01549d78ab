package io.bookinghub.connectors.booksy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.testkit.RecordingAudit;
import io.bookinghub.testkit.TestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BooksyTokenManagerTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    TestContext ctx;
    BooksyConnector connector;

    @BeforeEach
    void setUp() {
        ctx = BooksyContexts.of(BooksyContexts.oauthValues(wm.baseUrl()));
        connector = (BooksyConnector) new BooksyConnectorFactory().create(ctx);
    }

    @AfterEach
    void tearDown() {
        connector.close();
    }

    private void storeTokens(Duration expiresIn) {
        ctx.credentials().save(Map.of("access_token", "at-old", "refresh_token", "rt-old",
                "expires_at", BooksyContexts.NOW.plus(expiresIn).toString(), "token_type", "Bearer"));
    }

    private void stubRefresh(String body) {
        wm.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)
                .withFixedDelay(100)));
    }

    @Test
    void validTokenIsUsedWithoutCallingBooksy() {
        storeTokens(Duration.ofMinutes(30));
        assertThat(connector.tokens().accessToken()).isEqualTo("at-old");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void refreshesAheadOfExpiryBySkew() {
        storeTokens(Duration.ofSeconds(59)); // skew is 60 s
        stubRefresh("{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"rt-new\"}");

        assertThat(connector.tokens().accessToken()).isEqualTo("at-new");

        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=rt-old")));
        assertThat(ctx.credentials().load()).containsEntry("refresh_token", "rt-new")
                .containsEntry("expires_at", BooksyContexts.NOW.plusSeconds(3600).toString());
        assertThat(ctx.audit().events()).extracting(RecordingAudit.Event::type).contains("token_refreshed");
    }

    @Test
    void sixteenThreadsNeedingATokenCauseExactlyOneRefresh() throws Exception {
        storeTokens(Duration.ofSeconds(-1));
        stubRefresh("{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"rt-new\"}");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return connector.tokens().accessToken();
                }));
            }
            start.countDown();
            for (Future<String> f : results) {
                assertThat(f.get()).isEqualTo("at-new");
            }
        } finally {
            pool.shutdownNow();
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
        // The in-process lock means the other 15 reuse the first result instead of queuing on the store.
        assertThat(ctx.credentials().updates()).isEqualTo(1);
    }

    @Test
    void twoProcessesSharingTheStoreRefreshOnlyOnce() throws Exception {
        // A second connector instance over the same store stands in for another hub process: only the
        // store's update() serializes them, and its function must notice the first refresh.
        storeTokens(Duration.ofSeconds(-1));
        stubRefresh("{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        TestContext other = BooksyContexts.sharingCredentials(ctx);
        try (BooksyConnector second = (BooksyConnector) new BooksyConnectorFactory().create(other)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    BooksyTokenManager tokens = i % 2 == 0 ? connector.tokens() : second.tokens();
                    results.add(pool.submit(() -> {
                        start.await();
                        return tokens.accessToken();
                    }));
                }
                start.countDown();
                for (Future<String> f : results) {
                    assertThat(f.get()).isEqualTo("at-new");
                }
            } finally {
                pool.shutdownNow();
            }
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void refreshWithoutRefreshTokenKeepsTheOldOne() {
        storeTokens(Duration.ofSeconds(-1));
        stubRefresh("{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":600}");

        assertThat(connector.tokens().accessToken()).isEqualTo("at-new");

        assertThat(ctx.credentials().load()).containsEntry("access_token", "at-new")
                .containsEntry("refresh_token", "rt-old");
    }

    @Test
    void invalidGrantMarksReauthorizationAndIsNotRetried() {
        storeTokens(Duration.ofSeconds(-1));
        wm.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token rt-old revoked\"}")));

        assertThatThrownBy(() -> connector.tokens().accessToken())
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AUTH_REQUIRED);
                    assertThat(e.getMessage()).contains("invalid_grant").doesNotContain("rt-old");
                });

        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
        assertThat(ctx.credentials().reauthorizationReasons()).hasSize(1)
                .allSatisfy(r -> assertThat(r).doesNotContain("rt-old"));
        assertThat(ctx.credentials().load()).containsEntry("refresh_token", "rt-old"); // nothing overwritten
    }

    @Test
    void transientRefreshFailureIsProviderUnavailableAndDoesNotMarkReauthorization() {
        storeTokens(Duration.ofSeconds(-1));
        wm.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> connector.tokens().accessToken())
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
        assertThat(ctx.credentials().reauthorizationReasons()).isEmpty();
    }

    @Test
    void notAuthorizedConnectionIsAuthRequired() {
        assertThatThrownBy(() -> connector.tokens().accessToken())
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_REQUIRED));
        wm.verify(0, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void forceRefreshSkipsWhenAnotherCallerAlreadyReplacedTheRejectedToken() {
        storeTokens(Duration.ofMinutes(30));
        stubRefresh("{\"access_token\":\"at-new\",\"token_type\":\"Bearer\",\"expires_in\":3600}");

        assertThat(connector.tokens().forceRefresh("at-old")).isEqualTo("at-new");
        assertThat(connector.tokens().forceRefresh("at-old")).isEqualTo("at-new");

        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }
}
