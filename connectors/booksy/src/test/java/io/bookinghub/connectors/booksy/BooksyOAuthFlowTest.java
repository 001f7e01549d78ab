package io.bookinghub.connectors.booksy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.testkit.RecordingAudit;
import io.bookinghub.testkit.TestContext;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BooksyOAuthFlowTest {
    // RFC 7636, Appendix B.
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final String REDIRECT = "https://hub.example.com/connectors/booksy/oauth/callback?x=1";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    TestContext ctx;
    BooksyConnector connector;
    BooksyOAuthFlow flow;

    @BeforeEach
    void setUp() {
        ctx = BooksyContexts.of(BooksyContexts.oauthValues(wm.baseUrl()));
        connector = (BooksyConnector) new BooksyConnectorFactory().create(ctx);
        flow = (BooksyOAuthFlow) connector.oauth();
    }

    @AfterEach
    void tearDown() {
        connector.close();
    }

    static Map<String, String> params(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void authorizationUrlCarriesPkceS256StateScopeAndExactRedirect() {
        URI url = flow.authorizationUrl("state-123", CHALLENGE);

        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath()).isEqualTo(wm.baseUrl() + "/oauth/authorize");
        Map<String, String> q = params(url.getRawQuery());
        assertThat(q).containsEntry("response_type", "code")
                .containsEntry("client_id", "hub-client")
                .containsEntry("redirect_uri", REDIRECT)
                .containsEntry("scope", "appointments:read business:read")
                .containsEntry("state", "state-123")
                .containsEntry("code_challenge", CHALLENGE)
                .containsEntry("code_challenge_method", "S256");
        assertThat(url.toString()).doesNotContain(BooksyContexts.CLIENT_SECRET);
    }

    @Test
    void rejectsSomethingThatIsNotAnS256Challenge() {
        assertThatThrownBy(() -> flow.authorizationUrl("s", "short")).isInstanceOf(ConnectorException.class);
    }

    @Test
    void exchangeSendsVerifierExactRedirectAndClientAuthAndStoresTokens() {
        wm.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"refresh_token\":\"rt-1\",\"scope\":\"appointments:read\"}")));

        flow.exchangeCode("code-abc", VERIFIER);

        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")));
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        Map<String, String> form = params(request.getBodyAsString());
        assertThat(form).containsEntry("grant_type", "authorization_code")
                .containsEntry("code", "code-abc")
                .containsEntry("redirect_uri", REDIRECT)
                .containsEntry("code_verifier", VERIFIER);
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("hub-client:" + BooksyContexts.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));

        assertThat(ctx.credentials().load()).containsEntry("access_token", "at-1")
                .containsEntry("refresh_token", "rt-1")
                .containsEntry("token_type", "Bearer")
                .containsEntry("scope", "appointments:read")
                .containsEntry("expires_at", BooksyContexts.NOW.plusSeconds(3600).toString());
        assertThat(ctx.audit().calls()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/oauth/token");
            assertThat(c.status()).isEqualTo(200);
        });
    }

    @Test
    void clientSecretPostSendsTheClientCredentialsInTheFormToATokenEndpointOnAnotherPath() {
        Map<String, Object> values = BooksyContexts.oauthValues(wm.baseUrl());
        values.put("clientAuthentication", "client_secret_post");
        values.put("tokenUrl", wm.baseUrl() + "/auth-server/token");
        TestContext postCtx = BooksyContexts.of(values);
        wm.stubFor(post("/auth-server/token").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-2\",\"token_type\":\"Bearer\"}")));
        try (BooksyConnector posting = (BooksyConnector) new BooksyConnectorFactory().create(postCtx)) {
            posting.oauth().exchangeCode("code-post", VERIFIER);
        }
        LoggedRequest request = wm.findAll(postRequestedFor(urlPathEqualTo("/auth-server/token"))).get(0);
        assertThat(params(request.getBodyAsString())).containsEntry("client_id", "hub-client")
                .containsEntry("client_secret", BooksyContexts.CLIENT_SECRET).containsEntry("code", "code-post");
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(postCtx.audit().calls()).singleElement().satisfies(c -> assertThat(c.path())
                .isEqualTo("/auth-server/token"));
    }

    @Test
    void refusedCodeIsAuthRequiredWithoutEchoingTheBodyAndStoresNothing() {
        wm.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"code code-abc for verifier "
                        + VERIFIER + " is expired\"}")));

        assertThatThrownBy(() -> flow.exchangeCode("code-abc", VERIFIER))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AUTH_REQUIRED);
                    assertThat(e.getMessage()).contains("invalid_grant").contains("is expired")
                            .doesNotContain(VERIFIER).doesNotContain("code-abc");
                    assertThat(e.getCause()).isNull();
                });
        assertThat(ctx.credentials().load()).isEmpty();
        assertThat(ctx.audit().calls().get(0).error()).doesNotContain(VERIFIER);
    }

    @Test
    void serverErrorPageOnTokenEndpointIsProviderUnavailable() {
        wm.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(502).withBody("<html>bad gateway</html>")));
        assertThatThrownBy(() -> flow.exchangeCode("code-abc", VERIFIER))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
    }

    @Test
    void tokenResponseThatIsNotJsonIsProviderError() {
        wm.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"at-")));
        assertThatThrownBy(() -> flow.exchangeCode("code-abc", VERIFIER))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).doesNotContain("at-");
                });
    }

    @Test
    void revokeRevokesRefreshThenAccessTokenWithClientAuth() {
        wm.stubFor(post("/oauth/revoke").willReturn(aResponse().withStatus(200)));
        ctx.credentials().save(Map.of("access_token", "at-1", "refresh_token", "rt-1"));

        flow.revoke();

        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlPathEqualTo("/oauth/revoke")));
        assertThat(requests).hasSize(2);
        assertThat(params(requests.get(0).getBodyAsString())).containsEntry("token", "rt-1")
                .containsEntry("token_type_hint", "refresh_token");
        assertThat(params(requests.get(1).getBodyAsString())).containsEntry("token", "at-1")
                .containsEntry("token_type_hint", "access_token");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/oauth/revoke"))
                .withHeader("Authorization", containing("Basic ")));
    }

    @Test
    void revokeFailureIsAuditedNeverThrown() {
        wm.stubFor(post("/oauth/revoke").willReturn(aResponse().withStatus(503).withBody("rt-1 down")));
        ctx.credentials().save(Map.of("access_token", "at-1", "refresh_token", "rt-1"));

        flow.revoke();

        assertThat(ctx.audit().events()).extracting(RecordingAudit.Event::type).contains("token_revoke_failed");
        assertThat(ctx.audit().events()).allSatisfy(e -> assertThat(e.message()).doesNotContain("rt-1"));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/oauth/revoke")).withRequestBody(containing("token=")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/oauth/revoke")).withRequestBody(containing("token=rt-1")));
        wm.verify(0, postRequestedFor(urlPathEqualTo("/oauth/revoke")).withHeader("X-Unused", equalTo("x")));
    }
}
