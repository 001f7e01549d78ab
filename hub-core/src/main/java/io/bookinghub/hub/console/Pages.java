package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.console.ConsoleSessions.Session;
import io.bookinghub.hub.console.HubApiCalls.Answer;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every console route does the same way: find the session behind the cookie (or send the browser to sign
 * in), check a form's CSRF token, call the hub API as the signed-in key, and answer with a page, a redirect or an
 * error page that carries the API's status (a business another tenant owns is a 404 page, as in the API).
 */
final class Pages {
    static final String COOKIE = "hub_console";

    /** The confirmations a redirect may ask for: fixed texts, so a crafted link cannot put words on the page. */
    private static final Map<String, String> NOTICES = Map.of(
            "saved", "Saved.",
            "created", "Created.",
            "revoked", "The key was revoked.",
            "reprocessed", "The event was queued for processing again.",
            "disabled", "The connection was disabled; its settings are kept.",
            "connected", "Connected.",
            "signed-out", "You are signed out.");

    private final ConsoleSessions sessions;
    private final HubApiCalls api;

    Pages(ConsoleSessions sessions, HubApiCalls api) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.api = requireNonNull(api, "api is null");
    }

    /** The signed-in session, or a redirect to the sign-in page that comes back to this page afterwards. */
    Session session(String cookie, UriInfo uri) {
        return signedIn(cookie, uri.getRequestUri().getRawPath());
    }

    /**
     * As {@link #session}, for a form: its CSRF token must be this session's, else 403 and nothing happens. Without
     * a session the browser signs in and lands on the console's home: a form's address is no page to come back to.
     */
    Session form(String cookie, String csrf, UriInfo uri) {
        Session session = signedIn(cookie, "/console");
        if (!session.csrfMatches(csrf)) {
            throw new WebApplicationException(error(session, 403, "The form is out of date or did not come from "
                    + "this console (missing or wrong CSRF token). Reload the page and try again."));
        }
        return session;
    }

    private Session signedIn(String cookie, String next) {
        return sessions.find(cookie).orElseThrow(() -> new WebApplicationException(Response.seeOther(
                URI.create("/console/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))).build()));
    }

    Answer get(Session session, UriInfo uri, String pathAndQuery) {
        return api.call(session.principal(), uri.getBaseUri(), "GET", pathAndQuery, null, null);
    }

    /** A GET whose failure is the page's failure (404 for another tenant's business, and so on). */
    Answer require(Session session, UriInfo uri, String pathAndQuery) {
        Answer answer = get(session, uri, pathAndQuery);
        if (!answer.ok()) {
            throw new WebApplicationException(error(session, answer.status(), answer.message()));
        }
        return answer;
    }

    Answer send(Session session, UriInfo uri, String method, String path, Object jsonBody) {
        return api.call(session.principal(), uri.getBaseUri(), method, path, MediaType.APPLICATION_JSON,
                jsonBody == null ? null : api.json(jsonBody));
    }

    Answer upload(Session session, UriInfo uri, String path, byte[] body) {
        return api.call(session.principal(), uri.getBaseUri(), "POST", path, MediaType.APPLICATION_OCTET_STREAM,
                body);
    }

    Page page(Session session, String template, String title) {
        return new Page(session, template, title);
    }

    /** A page as it is being put together. */
    final class Page {
        private final Session session;
        private final String template;
        private final String title;
        private final Map<String, Object> data = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();
        private String notice;
        private boolean refresh;
        private int status = 200;

        private Page(Session session, String template, String title) {
            this.session = session;
            this.template = template;
            this.title = title;
        }

        Page with(String name, Object value) {
            if (value != null) {
                data.put(name, value);
            }
            return this;
        }

        /** The refused call's message and each bad field, shown above the form, with the API's status. */
        Page refused(Answer answer) {
            failed(answer.status(), answer.message());
            for (Map<String, Object> field : answer.fields()) {
                errors.add(field.get("field") + ": " + field.get("message"));
            }
            return this;
        }

        /** A refusal of the console's own (no API call made), shown like the API's, with its status. */
        Page failed(int httpStatus, String message) {
            status = httpStatus;
            errors.add(message);
            return this;
        }

        Page notice(String code) {
            notice = code == null ? null : NOTICES.get(code);
            return this;
        }

        Page refresh(boolean on) {
            refresh = on;
            return this;
        }

        Response build() {
            ConsolePage view = new ConsolePage(template, title, session == null ? null
                    : ConsolePage.User.of(session.principal()), session == null ? null : session.csrfToken(), data,
                    errors, notice, refresh);
            return secure(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(view));
        }
    }

    Response error(Session session, int status, String message) {
        Page page = new Page(session, "error.ftlh", status == 404 ? "Not found" : "Something went wrong");
        page.status = status;
        page.errors.add(message);
        return page.build();
    }

    /** Post/redirect/get: back to a console page, with a fixed confirmation. */
    static Response redirect(String path, String notice) {
        return secure(Response.seeOther(URI.create(notice == null ? path : path + "?notice=" + notice)));
    }

    static NewCookie cookie(String value, UriInfo uri, int maxAgeSeconds) {
        // HttpOnly: no script reads it. SameSite=Lax: sent on the top-level return from the provider's OAuth page,
        // never on another site's forms or fetches. Secure whenever the console is served over https.
        return new NewCookie.Builder(COOKIE).value(value).path("/console").httpOnly(true)
                .secure("https".equals(uri.getBaseUri().getScheme())).maxAge(maxAgeSeconds)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /**
     * Pages hold tenant data and per-session tokens: never cached, never framed, no script or style from anywhere
     * but the console itself, and no Referer carrying a page's address elsewhere.
     */
    static Response secure(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "
                        + "frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").build();
    }
}
