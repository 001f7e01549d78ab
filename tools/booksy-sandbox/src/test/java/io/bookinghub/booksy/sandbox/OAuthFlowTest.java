package io.bookinghub.booksy.sandbox;

import static io.bookinghub.booksy.sandbox.TestHttp.REDIRECT;
import static io.bookinghub.booksy.sandbox.TestHttp.json;
import static io.bookinghub.booksy.sandbox.TestHttp.queryParam;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthFlowTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String BUSINESSES = "/api/v1/businesses";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    private BooksySandbox sandbox;
    private TestHttp http;

    @BeforeEach
    void start() {
        sandbox = TestHttp.baseBuilder(clock).accessTokenTtl(Duration.ofMinutes(10)).apiKey("key-123").build().start();
        http = new TestHttp(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void authorizeRedirectsWithCodeAndState() {
        HttpResponse<String> r = http.authorize(REDIRECT, TestHttp.challenge(VERIFIER), "st@te 1");

        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?code=");
        assertThat(queryParam(location, "state")).isEqualTo("st@te 1");
        assertThat(queryParam(location, "code")).hasSizeGreaterThan(20);
    }

    @Test
    void fullPkceFlowIssuesWorkingTokens() {
        String code = http.authorizeCode(VERIFIER);

        HttpResponse<String> token = http.exchange(code, VERIFIER, REDIRECT, true);

        assertThat(token.statusCode()).isEqualTo(200);
        JsonNode body = json(token);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(600);
        assertThat(body.get("refresh_token").asText()).isNotBlank();
        assertThat(body.get("scope").asText()).isEqualTo("appointments:read");
        String access = body.get("access_token").asText();
        HttpResponse<String> api = http.get(BUSINESSES, access);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(json(api).get("data").get(0).get("id").asText()).isEqualTo("b-1001");
        assertThat(sandbox.tokensIssued()).isEqualTo(1);
        assertThat(sandbox.lastAuthorizationHeader()).contains("Bearer " + access);
    }

    @Test
    void clientCredentialsInFormAreAcceptedToo() {
        String code = http.authorizeCode(VERIFIER);

        assertThat(http.exchange(code, VERIFIER, REDIRECT, false).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongVerifierIsInvalidGrant() {
        String code = http.authorizeCode(VERIFIER);

        HttpResponse<String> r = http.exchange(code, VERIFIER.replace('d', 'e'), REDIRECT, true);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(sandbox.tokensIssued()).isZero();
    }

    @Test
    void verifierEqualToChallengeIsRejected() {
        // A "plain" method client would send the challenge itself; the sandbox only supports S256.
        String challenge = TestHttp.challenge(VERIFIER);
        String code = queryParam(http.authorize(REDIRECT, challenge, "s").headers().firstValue("Location")
                .orElseThrow(), "code");

        assertThat(json(http.exchange(code, challenge, REDIRECT, true)).get("error").asText())
                .isEqualTo("invalid_grant");
    }

    @Test
    void codeIsSingleUse() {
        String code = http.authorizeCode(VERIFIER);
        assertThat(http.exchange(code, VERIFIER, REDIRECT, true).statusCode()).isEqualTo(200);

        HttpResponse<String> again = http.exchange(code, VERIFIER, REDIRECT, true);

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(json(again).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void codeExpires() {
        String code = http.authorizeCode(VERIFIER);
        clock.advance(Duration.ofMinutes(2));

        assertThat(json(http.exchange(code, VERIFIER, REDIRECT, true)).get("error").asText())
                .isEqualTo("invalid_grant");
    }

    @Test
    void redirectUriMustMatchTheAuthorizeRequest() {
        String code = http.authorizeCode(VERIFIER);

        HttpResponse<String> r = http.exchange(code, VERIFIER, REDIRECT + "/other", true);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void unknownRedirectUriOrClientIsRejectedWithJsonNotRedirected() {
        HttpResponse<String> badRedirect = http.authorize("http://evil.example/cb", TestHttp.challenge(VERIFIER), "s");
        assertThat(badRedirect.statusCode()).isEqualTo(400);
        assertThat(badRedirect.headers().firstValue("Location")).isEmpty();
        assertThat(json(badRedirect).get("error").asText()).isEqualTo("invalid_request");

        HttpResponse<String> badClient = http.get("/oauth/authorize?response_type=code&client_id=nope&redirect_uri="
                + TestHttp.enc(REDIRECT) + "&code_challenge=abc&code_challenge_method=S256", null);
        assertThat(badClient.statusCode()).isEqualTo(400);
        assertThat(json(badClient).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void missingPkceOrDenialRedirectsWithError() {
        HttpResponse<String> noPkce = http.get("/oauth/authorize?response_type=code&client_id="
                + TestHttp.enc(TestHttp.CLIENT_ID) + "&redirect_uri=" + TestHttp.enc(REDIRECT) + "&state=s1", null);
        assertThat(noPkce.statusCode()).isEqualTo(302);
        assertThat(queryParam(noPkce.headers().firstValue("Location").orElseThrow(), "error"))
                .isEqualTo("invalid_request");

        sandbox.denyAuthorizations(true);
        HttpResponse<String> denied = http.authorize(REDIRECT, TestHttp.challenge(VERIFIER), "s2");
        String location = denied.headers().firstValue("Location").orElseThrow();
        assertThat(queryParam(location, "error")).isEqualTo("access_denied");
        assertThat(queryParam(location, "state")).isEqualTo("s2");
        assertThat(queryParam(location, "code")).isNull();
    }

    @Test
    void wrongClientSecretIsInvalidClient() {
        String code = http.authorizeCode(VERIFIER);
        HttpResponse<String> r = http.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT, "code_verifier", VERIFIER,
                "client_id", TestHttp.CLIENT_ID, "client_secret", "wrong"), false);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_client");
        assertThat(r.body()).doesNotContain(TestHttp.CLIENT_SECRET).doesNotContain("wrong");
    }

    @Test
    void accessTokenExpiresByTheSandboxClock() {
        String access = json(http.exchange(http.authorizeCode(VERIFIER), VERIFIER, REDIRECT, true))
                .get("access_token").asText();
        clock.advance(Duration.ofMinutes(9));
        assertThat(http.get(BUSINESSES, access).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(1));
        HttpResponse<String> expired = http.get(BUSINESSES, access);

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).get("error").get("code").asText()).isEqualTo("unauthorized");
        assertThat(http.get(BUSINESSES, null).statusCode()).isEqualTo(401);
        assertThat(http.get(BUSINESSES, "made-up").statusCode()).isEqualTo(401);
    }

    @Test
    void refreshTokensRotateAndOldOnesAreRejected() {
        JsonNode first = json(http.exchange(http.authorizeCode(VERIFIER), VERIFIER, REDIRECT, true));
        String oldRefresh = first.get("refresh_token").asText();
        clock.advance(Duration.ofHours(1));
        assertThat(http.get(BUSINESSES, first.get("access_token").asText()).statusCode()).isEqualTo(401);

        HttpResponse<String> refreshed = http.refresh(oldRefresh);

        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode second = json(refreshed);
        String newRefresh = second.get("refresh_token").asText();
        assertThat(newRefresh).isNotEqualTo(oldRefresh);
        assertThat(http.get(BUSINESSES, second.get("access_token").asText()).statusCode()).isEqualTo(200);
        HttpResponse<String> reuse = http.refresh(oldRefresh);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(json(reuse).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(http.refresh(newRefresh).statusCode()).isEqualTo(200);
        assertThat(sandbox.refreshesPerformed()).isEqualTo(2);
        assertThat(sandbox.tokensIssued()).isEqualTo(3);
    }

    @Test
    void withoutRotationTheRefreshResponseOmitsTheTokenAndTheOldOneStaysValid() {
        sandbox.omitRefreshTokenOnRefresh(true);
        String refresh = sandbox.issueTokens().refreshToken();

        JsonNode r1 = json(http.refresh(refresh));
        assertThat(r1.has("refresh_token")).isFalse();
        assertThat(r1.get("access_token").asText()).isNotBlank();
        assertThat(http.refresh(refresh).statusCode()).isEqualTo(200);
    }

    @Test
    void revokingTheRefreshTokenEndsTheGrant() {
        TokenPair tokens = sandbox.issueTokens();
        assertThat(tokens.toString()).doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken());
        assertThat(http.get(BUSINESSES, tokens.accessToken()).statusCode()).isEqualTo(200);

        HttpResponse<String> r = http.postForm("/oauth/revoke",
                Map.of("token", tokens.refreshToken(), "token_type_hint", "refresh_token"), true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(http.refresh(tokens.refreshToken())).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(http.get(BUSINESSES, tokens.accessToken()).statusCode()).isEqualTo(401);
    }

    @Test
    void apiKeyModeAcceptsTheConfiguredKeyOnly() {
        assertThat(http.getWithHeader(BUSINESSES, "X-Api-Key", "key-123").statusCode()).isEqualTo(200);
        assertThat(http.getWithHeader(BUSINESSES, "X-Api-Key", "key-124").statusCode()).isEqualTo(401);
    }
}
