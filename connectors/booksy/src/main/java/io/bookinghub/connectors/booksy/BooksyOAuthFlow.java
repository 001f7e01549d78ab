package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.scribejava.core.builder.ServiceBuilder;
import com.github.scribejava.core.exceptions.OAuthException;
import com.github.scribejava.core.model.OAuth2AccessToken;
import com.github.scribejava.core.model.OAuth2AccessTokenErrorResponse;
import com.github.scribejava.core.model.OAuthResponseException;
import com.github.scribejava.core.oauth.AccessTokenRequestParams;
import com.github.scribejava.core.oauth.OAuth20Service;
import com.github.scribejava.core.oauth2.OAuth2Error;
import com.github.scribejava.core.pkce.PKCE;
import com.github.scribejava.core.pkce.PKCECodeChallengeMethod;
import com.github.scribejava.core.revoke.TokenTypeHint;
import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.oauth.OAuthFlow;
import io.bookinghub.toolkit.OutboundScribeJavaClient;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Booksy's authorization-code flow with PKCE (S256), on ScribeJava. Token responses are stored in
 * the connection's {@link io.bookinghub.spi.CredentialStore} under {@link #ACCESS_TOKEN},
 * {@link #REFRESH_TOKEN}, {@link #EXPIRES_AT} (ISO instant), {@link #TOKEN_TYPE} and {@link #SCOPE}.
 *
 * <p>ScribeJava's exceptions embed raw response bodies (which may carry tokens) in their messages;
 * they are never propagated or logged. Failures become {@link ConnectorException}s whose text holds
 * only the operation, the HTTP status and the OAuth error code.
 */
public final class BooksyOAuthFlow implements OAuthFlow, AutoCloseable {
    public static final String ACCESS_TOKEN = "access_token";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String EXPIRES_AT = "expires_at";
    public static final String TOKEN_TYPE = "token_type";
    public static final String SCOPE = "scope";

    private static final Logger LOG = LoggerFactory.getLogger(BooksyOAuthFlow.class);
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43,128}");
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
    private static final int MAX_DESCRIPTION = 200;
    /** A run of 20+ token-like characters: a provider echoing a code or token in its description. */
    private static final Pattern LONG_WORD = Pattern.compile("[A-Za-z0-9._~+/=-]{20,}");

    private final ConnectorContext context;
    private final BooksyConfig config;
    private final OAuth20Service service;
    private final String tokenPath;
    private final String revokePath;
    private volatile Runnable credentialsChanged = () -> { };

    public BooksyOAuthFlow(ConnectorContext context, BooksyConfig config) {
        this.context = requireNonNull(context, "context is null");
        this.config = requireNonNull(config, "config is null");
        // Never .debug(): ScribeJava's debug stream prints request and response bodies, tokens included.
        ServiceBuilder builder = new ServiceBuilder(config.clientId())
                .apiSecret(config.clientSecret())
                .callback(config.redirectUri())
                // The hub's transport, so token calls obey its outbound policy like API calls.
                .httpClient(new OutboundScribeJavaClient(context.http(), config.connectTimeout(),
                        config.requestTimeout()));
        config.scopes().ifPresent(builder::defaultScope);
        this.service = builder.build(BooksyApi.from(config));
        // Audit rows name the endpoint by path only: a query string could carry anything.
        this.tokenPath = URI.create(config.endpointUrl(BooksyConfig.TOKEN_URL)).getPath();
        this.revokePath = URI.create(config.endpointUrl(BooksyConfig.REVOCATION_URL)).getPath();
    }

    /** Registers what to run after new tokens were stored (the token manager drops its cache). */
    void onCredentialsChanged(Runnable listener) {
        this.credentialsChanged = requireNonNull(listener, "listener is null");
    }

    @Override
    public URI authorizationUrl(String state, String codeChallenge) {
        requireNonNull(state, "state is null");
        requireNonNull(codeChallenge, "codeChallenge is null");
        if (!CHALLENGE.matcher(codeChallenge).matches()) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT,
                    "codeChallenge must be an S256 challenge (base64url, no padding)");
        }
        PKCE pkce = new PKCE();
        pkce.setCodeChallenge(codeChallenge);
        pkce.setCodeChallengeMethod(PKCECodeChallengeMethod.S256);
        return URI.create(service.createAuthorizationUrlBuilder().state(state).pkce(pkce).build());
    }

    @Override
    public void exchangeCode(String code, String codeVerifier) {
        requireNonNull(code, "code is null");
        requireNonNull(codeVerifier, "codeVerifier is null");
        Instant started = context.clock().instant();
        OAuth2AccessToken token;
        try {
            token = service.getAccessToken(AccessTokenRequestParams.create(code).pkceCodeVerifier(codeVerifier));
        } catch (Exception e) {
            ConnectorException mapped = mapFailure(e, "authorization code exchange", true, code, codeVerifier, config.clientSecret());
            audit(tokenPath, started, statusOf(e), mapped.getMessage());
            throw mapped;
        }
        audit(tokenPath, started, 200, null);
        Map<String, String> credentials = toCredentials(token, null);
        context.credentials().save(credentials);
        credentialsChanged.run();
        context.audit().event("oauth_connected", "Booksy authorization code exchanged for tokens");
        LOG.info("Booksy connection for business {} authorized", context.businessId());
    }

    /**
     * Calls the token endpoint with {@code grant_type=refresh_token}. Exceptions are ScribeJava's and must
     * be passed through {@link #mapFailure} by the caller (their messages may contain response bodies).
     */
    OAuth2AccessToken refreshRaw(String refreshToken) throws IOException, InterruptedException, ExecutionException {
        Instant started = context.clock().instant();
        try {
            OAuth2AccessToken token = service.refreshAccessToken(refreshToken);
            audit(tokenPath, started, 200, null);
            return token;
        } catch (IOException | InterruptedException | ExecutionException | RuntimeException e) {
            audit(tokenPath, started, statusOf(e), mapFailure(e, "token refresh").getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /**
     * Credentials to store for a token response. A response without a refresh token keeps
     * {@code previousRefreshToken} (Booksy may omit it on refresh; the old one stays valid).
     */
    Map<String, String> toCredentials(OAuth2AccessToken token, String previousRefreshToken) {
        if (token.getAccessToken() == null || token.getAccessToken().isBlank()) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "Booksy token response has no access_token");
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ACCESS_TOKEN, token.getAccessToken());
        String refresh = token.getRefreshToken() != null && !token.getRefreshToken().isBlank()
                ? token.getRefreshToken() : previousRefreshToken;
        if (refresh != null) {
            out.put(REFRESH_TOKEN, refresh);
        }
        if (token.getExpiresIn() != null) {
            out.put(EXPIRES_AT, context.clock().instant().plusSeconds(token.getExpiresIn()).toString());
        }
        if (token.getTokenType() != null) {
            out.put(TOKEN_TYPE, token.getTokenType());
        }
        if (token.getScope() != null) {
            out.put(SCOPE, token.getScope());
        }
        return Map.copyOf(out);
    }

    /** Best effort: revokes the refresh token, then the access token; failures are audited, never thrown. */
    @Override
    public void revoke() {
        Map<String, String> credentials;
        try {
            credentials = context.credentials().load();
        } catch (RuntimeException e) {
            context.audit().event("token_revoke_failed", "Could not load Booksy credentials to revoke");
            return;
        }
        revokeOne(credentials.get(REFRESH_TOKEN), TokenTypeHint.REFRESH_TOKEN, "refresh token");
        revokeOne(credentials.get(ACCESS_TOKEN), TokenTypeHint.ACCESS_TOKEN, "access token");
    }

    private void revokeOne(String token, TokenTypeHint hint, String what) {
        if (token == null || token.isBlank()) {
            return;
        }
        Instant started = context.clock().instant();
        try {
            service.revokeToken(token, hint);
            audit(revokePath, started, 200, null);
            context.audit().event("token_revoked", "Booksy " + what + " revoked");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String message = mapFailure(e, what + " revocation").getMessage();
            audit(revokePath, started, statusOf(e), message);
            context.audit().event("token_revoke_failed", message);
            LOG.warn("Booksy {} revocation failed for business {}: {}", what, context.businessId(), message);
        }
    }

    /** True when the failure is the provider refusing the grant itself (the refresh token is dead). */
    static boolean isInvalidGrant(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof OAuth2AccessTokenErrorResponse
                && ((OAuth2AccessTokenErrorResponse) t).getError() == OAuth2Error.INVALID_GRANT;
    }

    /**
     * Maps a ScribeJava/IO failure to a ConnectorException whose message holds no response body, only the
     * status and the OAuth error code.
     */
    static ConnectorException mapFailure(Throwable e, String operation) {
        return mapFailure(e, operation, false);
    }

    /**
     * @param describe whether to add the provider's {@code error_description}: only where it tells the admin
     *                 what to fix (the code exchange, which the admin sees), never for refresh or revocation,
     *                 whose descriptions may echo tokens the hub cannot all name
     * @param secrets  the request's own secrets, cut out of the description
     */
    static ConnectorException mapFailure(Throwable e, String operation, boolean describe, String... secrets) {
        Throwable t = unwrap(e);
        if (t instanceof ConnectorException) {
            return (ConnectorException) t;
        }
        if (t instanceof OAuth2AccessTokenErrorResponse) {
            OAuth2AccessTokenErrorResponse error = (OAuth2AccessTokenErrorResponse) t;
            int status = statusOf(t);
            String code = error.getError() == null ? "unrecognized_error" : safeCode(error.getError().getErrorString());
            String message = "Booksy " + operation + " failed: HTTP " + status + " (" + code + ")"
                    + (describe ? description(error.getErrorDescription(), secrets) : "");
            if (error.getError() == OAuth2Error.INVALID_GRANT || error.getError() == OAuth2Error.INVALID_CLIENT
                    || error.getError() == OAuth2Error.UNAUTHORIZED_CLIENT
                    || error.getError() == OAuth2Error.ACCESS_DENIED) {
                return new ConnectorException(ErrorCode.AUTH_REQUIRED, message);
            }
            if (error.getError() == OAuth2Error.TEMPORARILY_UNAVAILABLE || status >= 500) {
                return new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, message);
            }
            return new ConnectorException(ErrorCode.PROVIDER_ERROR, message);
        }
        if (t instanceof OAuthResponseException) {
            int status = statusOf(t);
            String message = "Booksy " + operation + " failed: HTTP " + status;
            if (status == 429 || status >= 500) {
                return new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, message);
            }
            if (status == 401 || status == 403) {
                return new ConnectorException(ErrorCode.AUTH_REQUIRED, message);
            }
            return new ConnectorException(ErrorCode.PROVIDER_ERROR, message);
        }
        if (t instanceof JsonProcessingException) {
            return new ConnectorException(ErrorCode.PROVIDER_ERROR,
                    "Booksy " + operation + " failed: malformed response body");
        }
        if (t instanceof OAuthException) {
            return new ConnectorException(ErrorCode.PROVIDER_ERROR,
                    "Booksy " + operation + " failed: unexpected response");
        }
        if (t instanceof IOException) {
            return new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "Booksy " + operation + " failed: " + t.getClass().getSimpleName());
        }
        if (t instanceof InterruptedException) {
            return new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "Booksy " + operation + " interrupted");
        }
        return new ConnectorException(ErrorCode.PROVIDER_ERROR,
                "Booksy " + operation + " failed: " + t.getClass().getSimpleName());
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static int statusOf(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof OAuthResponseException && ((OAuthResponseException) t).getResponse() != null) {
            return ((OAuthResponseException) t).getResponse().getCode();
        }
        return 0;
    }

    /**
     * The provider's {@code error_description}, which says what to fix: printable ASCII only, short, and never
     * anything that looks like it could be a token.
     */
    static String description(String text, String... secrets) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String cut = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                cut = cut.replace(secret, "[redacted]");
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cut.length() && out.length() < MAX_DESCRIPTION; i++) {
            char c = cut.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        String cleaned = LONG_WORD.matcher(out).replaceAll("[redacted]");
        return ": " + cleaned + (cut.length() > MAX_DESCRIPTION ? "..." : "");
    }

    private static String safeCode(String code) {
        return code != null && ERROR_CODE.matcher(code).matches() ? code : "unrecognized_error";
    }

    private void audit(String path, Instant started, int status, String error) {
        Clock clock = context.clock();
        Duration latency = Duration.between(started, clock.instant());
        context.audit().apiCall(new ConnectorAudit.ApiCall("POST", path, status,
                latency.isNegative() ? Duration.ZERO : latency, 1, error, started));
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the Booksy OAuth service failed: {}", e.getClass().getSimpleName());
        }
    }
}
