package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.console.ConsoleSessions.Session;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Signing in and out of the console, its home page and its stylesheet. */
// The console's HTML pages are a UI over the API, not part of it: left out of /openapi.json.
@Hidden
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public final class SignInResource {
    /** Where the sign-in page may send the browser afterwards: a console page, never another site. */
    private static final Pattern NEXT = Pattern.compile("/console(/[A-Za-z0-9/_.-]{0,200})?");
    private static final Set<String> ASSETS = Set.of("console.css");

    private final ConsoleSessions sessions;
    private final Pages pages;

    SignInResource(ConsoleSessions sessions, Pages pages) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    @GET
    public Response home(@CookieParam(Pages.COOKIE) String cookie, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        return Pages.redirect(session.principal().businessId()
                .map(b -> "/console/businesses/" + b).orElse("/console/businesses"), null);
    }

    @GET
    @Path("/login")
    public Response form(@QueryParam("next") String next, @QueryParam("notice") String notice) {
        return pages.page(null, "login.ftlh", "Sign in").with("next", safeNext(next)).notice(notice).build();
    }

    @POST
    @Path("/login")
    public Response signIn(@FormParam("apiKey") String apiKey, @FormParam("next") String next, @Context UriInfo uri) {
        // No CSRF token yet (there is no session); an attacker's form could only sign the victim in as the
        // attacker, and only with a key the attacker gives away.
        Optional<String> token = apiKey == null ? Optional.empty() : sessions.signIn(apiKey.trim());
        if (token.isEmpty()) {
            return pages.page(null, "login.ftlh", "Sign in").with("next", safeNext(next))
                    .failed(401, "That key is not a valid admin API key (app keys cannot sign in).")
                    .build();
        }
        return Response.fromResponse(Pages.redirect(safeNext(next), null))
                .cookie(Pages.cookie(token.get(), uri, (int) sessions.maxAge().toSeconds())).build();
    }

    @POST
    @Path("/logout")
    public Response signOut(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @Context UriInfo uri) {
        pages.form(cookie, csrf, uri);
        sessions.signOut(cookie);
        return Response.fromResponse(Pages.redirect("/console/login", "signed-out"))
                .cookie(Pages.cookie("", uri, 0)).build();
    }

    @GET
    @Path("/assets/{name}")
    @Produces("text/css")
    public Response asset(@PathParam("name") String name) {
        if (!ASSETS.contains(name)) {
            return Response.status(404).type(MediaType.TEXT_PLAIN_TYPE).entity("no such asset").build();
        }
        try (InputStream in = SignInResource.class.getResourceAsStream(name)) {
            CacheControl cache = new CacheControl();
            cache.setMaxAge(3600);
            return Response.ok(in.readAllBytes(), "text/css; charset=utf-8").cacheControl(cache)
                    .header("X-Content-Type-Options", "nosniff").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String safeNext(String next) {
        return next != null && NEXT.matcher(next).matches() && !next.contains("..") ? next : "/console";
    }
}
