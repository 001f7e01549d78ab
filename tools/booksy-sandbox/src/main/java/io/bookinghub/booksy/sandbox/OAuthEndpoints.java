package io.bookinghub.booksy.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Authorization server half of the sandbox: auto-approving authorize endpoint, token endpoint with PKCE S256,
 * single-use short-lived codes, expiring opaque access tokens and rotating refresh tokens, RFC 7009 revoke.
 * Token values are never logged or put in error descriptions.
 */
final class OAuthEndpoints {

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private record Code(String clientId, String redirectUri, String challenge, String scope, long expiresAtMillis,
                        long grantId) {
    }

    private record Access(String clientId, String scope, long expiresAtMillis, long grantId) {
    }

    private record Refresh(String clientId, String scope, long grantId) {
    }

    private final ObjectMapper mapper;
    private final Clock clock;
    private final Supplier<String> opaque;
    private final String clientId;
    private final byte[] clientSecret;
    private final Set<String> redirectUris;
    private final boolean allowLocalhostRedirects;
    private final String defaultScope;
    private final Duration codeTtl;
    private volatile Duration accessTokenTtl;
    private volatile boolean omitRefreshTokenOnRefresh;
    private volatile boolean denyAuthorizations;

    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Access> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicLong grants = new AtomicLong();
    final AtomicInteger tokensIssued = new AtomicInteger();
    final AtomicInteger refreshesPerformed = new AtomicInteger();

    OAuthEndpoints(ObjectMapper mapper, Clock clock, Supplier<String> opaque, String clientId, String clientSecret,
                   Set<String> redirectUris, boolean allowLocalhostRedirects, String defaultScope, Duration codeTtl,
                   Duration accessTokenTtl) {
        this.mapper = mapper;
        this.clock = clock;
        this.opaque = opaque;
        this.clientId = Objects.requireNonNull(clientId, "clientId is null");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret is null").getBytes(StandardCharsets.UTF_8);
        this.redirectUris = Set.copyOf(redirectUris);
        this.allowLocalhostRedirects = allowLocalhostRedirects;
        this.defaultScope = defaultScope;
        this.codeTtl = codeTtl;
        this.accessTokenTtl = accessTokenTtl;
    }

    void accessTokenTtl(Duration ttl) {
        this.accessTokenTtl = Objects.requireNonNull(ttl, "ttl is null");
    }

    void omitRefreshTokenOnRefresh(boolean omit) {
        this.omitRefreshTokenOnRefresh = omit;
    }

    void denyAuthorizations(boolean deny) {
        this.denyAuthorizations = deny;
    }

    /** True when the bearer token exists and has not expired by the sandbox clock. */
    boolean isValidAccessToken(String token) {
        Access a = accessTokens.get(token);
        return a != null && clock.millis() < a.expiresAtMillis();
    }

    TokenPair issueDirectly() {
        long grant = grants.incrementAndGet();
        String access = newAccessToken(defaultScope, grant);
        String refresh = opaque.get();
        refreshTokens.put(refresh, new Refresh(clientId, defaultScope, grant));
        return new TokenPair(access, refresh, Instant.ofEpochMilli(accessTokens.get(access).expiresAtMillis()));
    }

    void revokeAll() {
        accessTokens.clear();
        refreshTokens.clear();
    }

    // ---- GET /oauth/authorize --------------------------------------------------------------------------------

    void authorize(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod())) {
            Exchanges.oauthError(ex, mapper, 405, "invalid_request", "use GET");
            return;
        }
        Map<String, String> q = Exchanges.query(ex);
        String requestedClient = q.get("client_id");
        String redirectUri = q.get("redirect_uri");
        if (requestedClient == null || !requestedClient.equals(clientId)) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_client", "unknown client_id");
            return;
        }
        if (redirectUri == null || !redirectAllowed(redirectUri)) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_request", "redirect_uri is not registered for this client");
            return;
        }
        String state = q.get("state");
        if (!"code".equals(q.get("response_type"))) {
            Exchanges.redirect(ex, errorRedirect(redirectUri, "unsupported_response_type", state));
            return;
        }
        String challenge = q.get("code_challenge");
        if (challenge == null || challenge.isEmpty() || !"S256".equals(q.get("code_challenge_method"))) {
            Exchanges.redirect(ex, errorRedirect(redirectUri, "invalid_request", state));
            return;
        }
        if (denyAuthorizations) {
            Exchanges.redirect(ex, errorRedirect(redirectUri, "access_denied", state));
            return;
        }
        String scope = q.getOrDefault("scope", defaultScope);
        String code = opaque.get();
        codes.put(code, new Code(clientId, redirectUri, challenge, scope, clock.millis() + codeTtl.toMillis(),
                grants.incrementAndGet()));
        StringBuilder location = new StringBuilder(redirectUri)
                .append(redirectUri.contains("?") ? '&' : '?').append("code=").append(Exchanges.encode(code));
        if (state != null) {
            location.append("&state=").append(Exchanges.encode(state));
        }
        Exchanges.redirect(ex, location.toString());
    }

    private boolean redirectAllowed(String redirectUri) {
        if (redirectUris.contains(redirectUri)) {
            return true;
        }
        if (!allowLocalhostRedirects) {
            return false;
        }
        try {
            URI uri = URI.create(redirectUri);
            return "http".equals(uri.getScheme())
                    && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String errorRedirect(String redirectUri, String error, String state) {
        return redirectUri + (redirectUri.contains("?") ? '&' : '?') + "error=" + error
                + (state == null ? "" : "&state=" + Exchanges.encode(state));
    }

    // ---- POST /oauth/token -----------------------------------------------------------------------------------

    void token(HttpExchange ex) throws IOException {
        Map<String, String> form = formOrReject(ex);
        if (form == null) {
            return;
        }
        if (!authenticateClient(ex, form)) {
            return;
        }
        String grantType = form.get("grant_type");
        if ("authorization_code".equals(grantType)) {
            exchangeCode(ex, form);
        } else if ("refresh_token".equals(grantType)) {
            refresh(ex, form);
        } else {
            Exchanges.oauthError(ex, mapper, 400, grantType == null ? "invalid_request" : "unsupported_grant_type",
                    "grant_type must be authorization_code or refresh_token");
        }
    }

    private void exchangeCode(HttpExchange ex, Map<String, String> form) throws IOException {
        String codeValue = form.get("code");
        if (codeValue == null) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_request", "code is required");
            return;
        }
        // Removing first makes every code single-use, even when the rest of the request turns out to be wrong.
        Code code = codes.remove(codeValue);
        if (code == null) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_grant", "authorization code is invalid or already used");
            return;
        }
        if (clock.millis() >= code.expiresAtMillis()) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_grant", "authorization code expired");
            return;
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_grant", "redirect_uri does not match the authorization request");
            return;
        }
        String verifier = form.get("code_verifier");
        if (verifier == null) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_request", "code_verifier is required");
            return;
        }
        if (!VERIFIER.matcher(verifier).matches() || !MessageDigest.isEqual(
                s256(verifier).getBytes(StandardCharsets.US_ASCII),
                code.challenge().getBytes(StandardCharsets.US_ASCII))) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_grant", "PKCE verification failed");
            return;
        }
        String access = newAccessToken(code.scope(), code.grantId());
        String refresh = opaque.get();
        refreshTokens.put(refresh, new Refresh(code.clientId(), code.scope(), code.grantId()));
        sendTokens(ex, access, refresh, code.scope());
    }

    private void refresh(HttpExchange ex, Map<String, String> form) throws IOException {
        String presented = form.get("refresh_token");
        if (presented == null) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_request", "refresh_token is required");
            return;
        }
        Refresh current = refreshTokens.get(presented);
        if (current == null || !current.clientId().equals(clientId)) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_grant", "refresh token is invalid, revoked or already used");
            return;
        }
        String rotated = null;
        if (!omitRefreshTokenOnRefresh) {
            // remove(key, value) is atomic: of two concurrent refreshes with one token only one wins.
            if (!refreshTokens.remove(presented, current)) {
                Exchanges.oauthError(ex, mapper, 400, "invalid_grant", "refresh token is invalid, revoked or already used");
                return;
            }
            rotated = opaque.get();
            refreshTokens.put(rotated, current);
        }
        refreshesPerformed.incrementAndGet();
        sendTokens(ex, newAccessToken(current.scope(), current.grantId()), rotated, current.scope());
    }

    private String newAccessToken(String scope, long grantId) {
        String token = opaque.get();
        accessTokens.put(token, new Access(clientId, scope, clock.millis() + accessTokenTtl.toMillis(), grantId));
        tokensIssued.incrementAndGet();
        return token;
    }

    private void sendTokens(HttpExchange ex, String access, String refresh, String scope) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("access_token", access);
        body.put("token_type", "Bearer");
        body.put("expires_in", accessTokenTtl.toSeconds());
        if (refresh != null) {
            body.put("refresh_token", refresh);
        }
        body.put("scope", scope);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        Exchanges.sendJson(ex, 200, mapper, body);
    }

    // ---- POST /oauth/revoke ----------------------------------------------------------------------------------

    void revoke(HttpExchange ex) throws IOException {
        Map<String, String> form = formOrReject(ex);
        if (form == null || !authenticateClient(ex, form)) {
            return;
        }
        String token = form.get("token");
        if (token == null) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_request", "token is required");
            return;
        }
        // RFC 7009: unknown tokens are not an error, and revoking a refresh token ends its whole grant.
        Refresh refresh = refreshTokens.remove(token);
        if (refresh != null) {
            accessTokens.values().removeIf(a -> a.grantId() == refresh.grantId());
        }
        accessTokens.remove(token);
        Exchanges.send(ex, 200, null, new byte[0]);
    }

    // ---- shared ----------------------------------------------------------------------------------------------

    private Map<String, String> formOrReject(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            Exchanges.oauthError(ex, mapper, 405, "invalid_request", "use POST");
            return null;
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            Exchanges.oauthError(ex, mapper, 400, "invalid_request",
                    "Content-Type must be application/x-www-form-urlencoded");
            return null;
        }
        return Exchanges.parseForm(Exchanges.readBody(ex));
    }

    /** HTTP Basic (RFC 6749 2.3.1: form-encoded id and secret) or client_id/client_secret form fields. */
    private boolean authenticateClient(HttpExchange ex, Map<String, String> form) throws IOException {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String id;
        String secret;
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            id = colon < 0 ? decoded : Exchanges.decode(decoded.substring(0, colon));
            secret = colon < 0 ? "" : Exchanges.decode(decoded.substring(colon + 1));
        } else {
            id = form.get("client_id");
            secret = form.get("client_secret");
        }
        if (id != null && secret != null && id.equals(clientId)
                && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), clientSecret)) {
            return true;
        }
        if (basic) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"booksy\"");
        }
        Exchanges.oauthError(ex, mapper, 401, "invalid_client", "client authentication failed");
        return false;
    }

    /** base64url-no-pad(SHA-256(ASCII(verifier))), RFC 7636 section 4.2. */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
