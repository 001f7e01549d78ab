package io.bookinghub.hub.oauth;

import static java.util.Objects.requireNonNull;

import com.google.common.html.HtmlEscapers;
import io.bookinghub.hub.api.ConnectorExceptionMapper;
import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.connections.ConnectionAuditDao;
import io.bookinghub.hub.connections.ConnectionDao;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.connections.ConnectionService;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.oauth.OAuthFlow;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser side of every OAuth-capable connector.
 *
 * <ul>
 *   <li>{@code GET /connectors/{connectorId}/oauth/start?business={id}} (business-admin of that business
 *       or hub-admin): 302 to the provider's authorization URL carrying a fresh {@code state} and the S256
 *       {@code code_challenge}; with {@code format=json} the URL is returned as
 *       {@code {"authorizationUrl": ...}} instead, since a browser following a link cannot send the
 *       bearer header and a script has to fetch the URL first. Either answer sets the browser-binding
 *       cookie ({@link BrowserCookie}); a same-origin script fetch hands it to the browser.</li>
 *   <li>{@code GET /connectors/{connectorId}/oauth/connect?link=...} (no API key: the one-time
 *       {@link ConnectLinks connect link} is the authentication): uses the link up and then does what
 *       {@code start} does.</li>
 *   <li>{@code GET /connectors/{connectorId}/oauth/callback?code&state} (no API key: the provider
 *       redirects the admin's browser here, and the single-use state together with the browser-binding
 *       cookie is the authentication): exchanges the code with the stored verifier. Answers an HTML page,
 *       or JSON {@code {code,error,message}} when the client accepts JSON, and clears the cookie.</li>
 * </ul>
 *
 * <p>Codes, states, verifiers, bindings, links and tokens are never logged, shown or stored in events.
 */
@Path("/connectors/{connectorId}/oauth")
public class OAuthResource {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthResource.class);
    private static final int MAX_PROVIDER_ERROR = 64;
    private static final int MAX_CODE = 4096;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ConnectionService connections;
    private final ConnectorInstances instances;
    private final OAuthStates states;
    private final ConnectLinks links;
    private final OAuthMetrics metrics;

    OAuthResource(Jdbi jdbi, Clock clock, ConnectionService connections, ConnectorInstances instances,
            OAuthStates states, ConnectLinks links, OAuthMetrics metrics) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.states = requireNonNull(states, "states is null");
        this.links = requireNonNull(links, "links is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @GET
    @Path("/start")
    @RolesAllowed(Role.BUSINESS_ADMIN_NAME)
    public Response start(@Auth HubPrincipal principal, @PathParam("connectorId") String connectorId,
            @QueryParam("business") String business, @QueryParam("format") String format,
            @QueryParam("returnTo") String returnTo, @Context UriInfo request) {
        if (returnTo != null && !OAuthStates.validReturnTo(returnTo)) {
            return jsonError(400, ErrorCode.INVALID_INPUT, "Query parameter 'returnTo' must be a /console/ path");
        }
        if (business == null || business.isBlank()) {
            return jsonError(400, ErrorCode.INVALID_INPUT, "Query parameter 'business' (a business id) is required");
        }
        UUID businessId;
        try {
            businessId = UUID.fromString(business.trim());
        } catch (IllegalArgumentException e) {
            return jsonError(400, ErrorCode.INVALID_INPUT, "Query parameter 'business' must be a business id");
        }
        principal.requireAccess(businessId);
        ConnectionRow row = connections.require(businessId, connectorId);
        requireAuthorizable(instances, row);
        return begin(row, "admin '" + principal.keyName() + "' started OAuth authorization",
                "json".equalsIgnoreCase(format), returnTo, request);
    }

    @GET
    @Path("/connect")
    public Response connect(@PathParam("connectorId") String connectorId, @QueryParam("link") String link,
            @Context HttpHeaders headers, @Context UriInfo request) {
        boolean json = prefersJson(headers);
        UUID connectionId;
        try {
            connectionId = links.consume(link);
        } catch (ConnectLinks.InvalidLinkException e) {
            LOG.info("OAuth connect link for {} refused", connectorId);
            return failure(json, 400, ErrorCode.INVALID_INPUT.name(), e.getMessage());
        }
        Optional<ConnectionRow> found = jdbi.withHandle(h -> h.attach(ConnectionDao.class).findById(connectionId));
        if (found.isEmpty() || !found.get().connectorId().equals(connectorId)) {
            // The cookie is scoped to this route's connector: the authorization could not come back to it.
            return failure(json, 400, ErrorCode.INVALID_INPUT.name(),
                    "This connect link is for another connector; ask for a new one");
        }
        try {
            requireAuthorizable(instances, found.get());
            return begin(found.get(), "OAuth authorization started through a one-time connect link", false, null,
                    request);
        } catch (ConnectorException e) {
            return failure(json, ConnectorExceptionMapper.status(e), e.code().name(), e.getMessage());
        }
    }

    /**
     * Link checkers in mail filters and chat previews may probe a link with HEAD; that must not use it up
     * (without this method JAX-RS would answer HEAD by running the GET).
     */
    @HEAD
    @Path("/connect")
    public Response probeConnect() {
        return noStore(Response.ok());
    }

    /** The connection may be sent to the provider: it is enabled and its connector connects through OAuth. */
    static void requireAuthorizable(ConnectorInstances instances, ConnectionRow row) {
        if (!row.enabled()) {
            throw new ConnectorException(ErrorCode.CONFLICT,
                    "The connection to '" + row.connectorId() + "' is disabled; enable it before authorizing");
        }
        if (!instances.installed(row.connectorId()).descriptor().supports(Capability.OAUTH_CONNECT)) {
            throw ConnectorException.unsupported(row.connectorId(), Capability.OAUTH_CONNECT);
        }
    }

    /** A new attempt: the provider's URL (a redirect, or JSON for scripts) and the browser-binding cookie. */
    private Response begin(ConnectionRow row, String startedBy, boolean json, String returnTo, UriInfo request) {
        OAuthFlow flow = instances.get(row).oauth();
        OAuthStates.Started started = states.create(row.id(), returnTo);
        URI url = flow.authorizationUrl(started.state(), started.codeChallenge());
        event(row.id(), "authorization-started", startedBy);
        metrics.started(row.connectorId());
        LOG.info("OAuth authorization started for {} of business {}", row.connectorId(), row.businessId());
        Response.ResponseBuilder answer = json
                ? Response.ok(Map.of("authorizationUrl", url.toString()), MediaType.APPLICATION_JSON_TYPE)
                : Response.status(Response.Status.FOUND).location(url);
        return noStore(BrowserCookie.set(answer, row.connectorId(), started.browserBinding(), states.ttl(), request));
    }

    @GET
    @Path("/callback")
    public Response callback(@PathParam("connectorId") String connectorId, @QueryParam("code") String code,
            @QueryParam("state") String state, @QueryParam("error") String error,
            @CookieParam(BrowserCookie.NAME) String browserBinding, @Context HttpHeaders headers,
            @Context UriInfo request) {
        // Whatever the outcome, the attempt is over: the browser forgets its binding.
        return BrowserCookie.clear(complete(connectorId, code, state, error, browserBinding, prefersJson(headers)),
                connectorId, request);
    }

    private Response complete(String connectorId, String code, String state, String error, String browserBinding,
            boolean json) {
        OAuthStates.Pending pending;
        try {
            pending = states.consume(state, browserBinding);
        } catch (OAuthStates.InvalidStateException e) {
            LOG.info("OAuth callback for {} refused: state {}", connectorId, e.reason());
            metrics.failed(OAuthMetrics.UNKNOWN, "invalid_state");
            e.connectionId().ifPresent(id -> event(id, "authorization-failed", "callback refused: " + e.getMessage()));
            return failure(json, 400, ErrorCode.INVALID_INPUT.name(), e.getMessage());
        }
        Optional<ConnectionRow> found = jdbi.withHandle(h -> h.attach(ConnectionDao.class)
                .findById(pending.connectionId()));
        if (found.isEmpty()) {
            // The connection was deleted after the state was issued (its states go with it, normally).
            metrics.failed(OAuthMetrics.UNKNOWN, "invalid_state");
            return failure(json, 400, ErrorCode.INVALID_INPUT.name(),
                    "The state is unknown or was already used; start the connection again");
        }
        ConnectionRow row = found.get();
        if (!row.connectorId().equals(connectorId)) {
            LOG.warn("OAuth callback arrived for {} but its state belongs to {}", connectorId, row.connectorId());
            event(row.id(), "authorization-failed", "callback arrived on the route of another connector");
            metrics.failed(row.connectorId(), "wrong_connector");
            return failure(json, 400, ErrorCode.INVALID_INPUT.name(),
                    "This authorization was started for another connector; start the connection again");
        }
        if (error != null) {
            String providerError = sanitize(error);
            LOG.info("OAuth authorization for {} of business {} refused by the provider: {}", connectorId,
                    row.businessId(), providerError);
            event(row.id(), "authorization-failed", "provider returned error " + providerError);
            metrics.failed(connectorId, "provider_denied");
            return failure(json, 400, ErrorCode.AUTH_REQUIRED.name(),
                    "The provider did not authorize the connection: " + providerError);
        }
        if (code == null || code.isBlank() || code.length() > MAX_CODE) {
            event(row.id(), "authorization-failed", "callback without a usable authorization code");
            metrics.failed(connectorId, "no_code");
            return failure(json, 400, ErrorCode.INVALID_INPUT.name(),
                    "The callback carries no usable authorization code; start the connection again");
        }
        if (!row.enabled()) {
            metrics.failed(connectorId, "disabled");
            return failure(json, 409, ErrorCode.CONFLICT.name(),
                    "The connection was disabled while it was being authorized");
        }
        try {
            BookingConnector connector = instances.get(row);
            if (!connector.descriptor().supports(Capability.OAUTH_CONNECT)) {
                throw ConnectorException.unsupported(connectorId, Capability.OAUTH_CONNECT);
            }
            connector.oauth().exchangeCode(code, pending.codeVerifier());
            // Which provider account did the owner really grant? Bound here, or the tokens are discarded.
            connections.completeAuthorization(row);
        } catch (ConnectorException e) {
            // The SPI promises messages without secrets, so they may be shown and stored.
            LOG.info("OAuth authorization for {} of business {} failed: {}", connectorId, row.businessId(),
                    e.code());
            event(row.id(), "authorization-failed", "authorization failed: " + e.code() + ": " + e.getMessage());
            metrics.failed(connectorId, e.code().name().toLowerCase(Locale.ROOT));
            // A refused code or grant is fixed by starting again in the browser (400), not a state conflict.
            int status = e.code() == ErrorCode.AUTH_REQUIRED ? 400 : ConnectorExceptionMapper.status(e);
            return failure(json, status, e.code().name(), e.getMessage());
        } catch (RuntimeException e) {
            // Only the type: a message from an unexpected failure might quote the request.
            LOG.warn("OAuth code exchange for {} of business {} failed unexpectedly: {}", connectorId,
                    row.businessId(), e.getClass().getName());
            event(row.id(), "authorization-failed", "code exchange failed: " + e.getClass().getSimpleName());
            metrics.failed(connectorId, "unexpected");
            return failure(json, 500, ErrorCode.INTERNAL.name(), "The code exchange failed unexpectedly");
        }
        event(row.id(), "authorized", "connected through OAuth");
        metrics.completed(connectorId);
        LOG.info("OAuth authorization for {} of business {} succeeded", connectorId, row.businessId());
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "connected");
            body.put("connectorId", connectorId);
            body.put("businessId", row.businessId().toString());
            return noStore(Response.ok(body, MediaType.APPLICATION_JSON_TYPE));
        }
        if (pending.returnTo().isPresent()) {
            // Back to the console page that started it (a relative /console/ path, checked when it was stored).
            return noStore(Response.seeOther(URI.create(pending.returnTo().get())));
        }
        return html(200, "Connected", "The business is now connected to " + connectorId
                + ". You can close this window.");
    }

    private void event(UUID connectionId, String type, String message) {
        jdbi.useExtension(ConnectionAuditDao.class, audit -> audit.event(connectionId, clock.instant(), type, message));
    }

    /** Provider error codes are reflected input: printable ASCII only, and short. */
    static String sanitize(String providerError) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < providerError.length() && out.length() < MAX_PROVIDER_ERROR; i++) {
            char c = providerError.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (providerError.length() > MAX_PROVIDER_ERROR) {
            out.append("...");
        }
        return out.isEmpty() ? "(empty)" : out.toString();
    }

    /** JSON when the client lists JSON before HTML; a browser (HTML or anything) gets the page. */
    static boolean prefersJson(HttpHeaders headers) {
        List<MediaType> acceptable = headers.getAcceptableMediaTypes();
        for (MediaType type : acceptable) {
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return false;
            }
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return true;
            }
        }
        return false;
    }

    private static Response failure(boolean json, int status, String error, String message) {
        if (json) {
            return noStore(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(status, error, message, List.of())));
        }
        return html(status, "Connection failed", message);
    }

    private static Response jsonError(int status, ErrorCode code, String message) {
        return noStore(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, code.name(), message, List.of())));
    }

    private static Response html(int status, String title, String message) {
        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head>\n<body><h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p></body></html>\n";
        return noStore(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page)
                .header("Content-Security-Policy", "default-src 'none'")
                .header("X-Content-Type-Options", "nosniff"));
    }

    private static String escape(String text) {
        return HtmlEscapers.htmlEscaper().escape(text);
    }

    // The callback URL holds the code: no caching, and no Referer leaking it to anything the page loads.
    private static Response noStore(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
