package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.console.ConsoleSessions.Session;
import io.bookinghub.hub.console.HubApiCalls.Answer;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's pages: businesses, installed connectors, integration settings, API keys and hub-wide webhook
 * deliveries. Each calls the admin API as the signed-in key, so a business-admin meets the API's own 403/404.
 */
// The console's HTML pages are a UI over the API, not part of it: left out of /openapi.json.
@Hidden
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public final class OperatorPages {
    private final Pages pages;

    OperatorPages(Pages pages) {
        this.pages = requireNonNull(pages, "pages is null");
    }

    @GET
    @Path("/businesses")
    public Response businesses(@CookieParam(Pages.COOKIE) String cookie, @QueryParam("cursor") String cursor,
            @QueryParam("notice") String notice, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        if (session.principal().businessId().isPresent()) {
            return Pages.redirect("/console/businesses/" + session.principal().businessId().get(), null);
        }
        return businessesPage(session, uri, cursor).notice(notice).build();
    }

    @POST
    @Path("/businesses")
    public Response createBusiness(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @FormParam("name") String name, @FormParam("timeZone") String timeZone, @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("timeZone", timeZone);
        Answer answer = pages.send(session, uri, "POST", "/admin/businesses", body);
        if (!answer.ok()) {
            return businessesPage(session, uri, null).refused(answer).with("form", body).build();
        }
        return Pages.redirect("/console/businesses/" + answer.object().get("id"), "created");
    }

    private Pages.Page businessesPage(Session session, UriInfo uri, String cursor) {
        Answer list = pages.require(session, uri, "/admin/businesses?limit=100" + Forms.param("cursor", cursor));
        return pages.page(session, "businesses.ftlh", "Businesses").with("businesses", list.object());
    }

    @GET
    @Path("/connectors")
    public Response connectors(@CookieParam(Pages.COOKIE) String cookie, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        return pages.page(session, "connectors.ftlh", "Connectors")
                .with("connectors", pages.require(session, uri, "/admin/connectors").object()).build();
    }

    @GET
    @Path("/connectors/{connectorId}/settings")
    public Response settings(@CookieParam(Pages.COOKIE) String cookie, @PathParam("connectorId") String connectorId,
            @QueryParam("notice") String notice, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        return settingsPage(session, uri, connectorId).notice(notice).build();
    }

    @POST
    @Path("/connectors/{connectorId}/settings")
    public Response saveSettings(@CookieParam(Pages.COOKIE) String cookie, @PathParam("connectorId") String connectorId,
            MultivaluedMap<String, String> form, @Context UriInfo uri) {
        Session session = pages.form(cookie, form.getFirst("csrf"), uri);
        String path = "/admin/connectors/" + Forms.segment(connectorId);
        List<Map<String, Object>> properties = Forms.properties(pages.require(session, uri, path).object(),
                "INTEGRATION");
        Answer answer = pages.send(session, uri, "PUT", path + "/settings",
                Map.of("settings", Forms.values(properties, form)));
        if (!answer.ok()) {
            return settingsPage(session, uri, connectorId).refused(answer).build();
        }
        return Pages.redirect("/console/connectors/" + Forms.segment(connectorId) + "/settings", "saved");
    }

    private Pages.Page settingsPage(Session session, UriInfo uri, String connectorId) {
        String path = "/admin/connectors/" + Forms.segment(connectorId);
        Map<String, Object> connector = pages.require(session, uri, path).object();
        Map<String, Object> settings = pages.require(session, uri, path + "/settings").object();
        return pages.page(session, "settings.ftlh", "Settings: " + connector.get("displayName"))
                .with("connector", connector)
                .with("fields", Forms.fields(Forms.properties(connector, "INTEGRATION"), settings.get("settings")));
    }

    @GET
    @Path("/api-keys")
    public Response apiKeys(@CookieParam(Pages.COOKIE) String cookie, @QueryParam("notice") String notice,
            @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        return keysPage(session, uri).notice(notice).build();
    }

    @POST
    @Path("/api-keys")
    public Response issueKey(@CookieParam(Pages.COOKIE) String cookie, MultivaluedMap<String, String> form,
            @Context UriInfo uri) {
        Session session = pages.form(cookie, form.getFirst("csrf"), uri);
        String role = form.getFirst("role");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", form.getFirst("name"));
        body.put("role", role);
        String business = Forms.blankToNull(form.getFirst("businessId"));
        if ("business-admin".equals(role)) {
            body.put("businessId", business);
        } else if ("app".equals(role)) {
            body.put("businessIds", business == null ? List.of() : List.of(business));
            List<String> scopes = form.get("scopes") == null ? List.of() : form.get("scopes");
            body.put("scopes", scopes);
        }
        Answer answer = pages.send(session, uri, "POST", "/admin/api-keys", body);
        if (!answer.ok()) {
            return keysPage(session, uri).refused(answer).build();
        }
        // Shown once, on this answer only (never stored, never in a redirect's URL).
        return keysPage(session, uri).with("issued", answer.object()).build();
    }

    @POST
    @Path("/api-keys/{keyId}/revoke")
    public Response revokeKey(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @PathParam("keyId") String keyId, @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        Answer answer = pages.send(session, uri, "DELETE", "/admin/api-keys/" + Forms.segment(keyId), null);
        if (!answer.ok()) {
            return keysPage(session, uri).refused(answer).build();
        }
        return Pages.redirect("/console/api-keys", "revoked");
    }

    private Pages.Page keysPage(Session session, UriInfo uri) {
        Object keys = pages.require(session, uri, "/admin/api-keys").body();
        Answer businesses = pages.require(session, uri, "/admin/businesses?limit=500");
        return pages.page(session, "api-keys.ftlh", "API keys").with("keys", keys)
                .with("businesses", businesses.object().get("items"));
    }

    @GET
    @Path("/webhooks")
    public Response webhooks(@CookieParam(Pages.COOKIE) String cookie, @QueryParam("status") String status,
            @QueryParam("connector") String connector, @QueryParam("cursor") String cursor,
            @QueryParam("notice") String notice, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        Answer events = pages.require(session, uri, "/admin/webhooks/events?limit=50" + Forms.param("status", status)
                + Forms.param("connector", connector) + Forms.param("cursor", cursor));
        Answer stats = pages.require(session, uri, "/admin/webhooks/stats");
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("status", status == null ? "" : status);
        filters.put("connector", connector == null ? "" : connector);
        return pages.page(session, "webhooks.ftlh", "Webhook deliveries").with("events", events.object())
                .with("stats", stats.object()).with("filters", filters).with("reprocessFrom", "/console/webhooks")
                .notice(notice).build();
    }

    @POST
    @Path("/webhooks/{id}/reprocess")
    public Response reprocess(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @FormParam("back") String back, @PathParam("id") long id, @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        Answer answer = pages.send(session, uri, "POST", "/admin/webhooks/" + id + "/reprocess", null);
        if (!answer.ok()) {
            return pages.error(session, answer.status(), answer.message());
        }
        return Pages.redirect(Forms.consolePath(back, "/console/webhooks"), "reprocessed");
    }
}
