package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.console.ConsoleSessions.Session;
import io.bookinghub.hub.console.HubApiCalls.Answer;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.glassfish.jersey.media.multipart.FormDataContentDisposition;
import org.glassfish.jersey.media.multipart.FormDataParam;

/**
 * A business's pages: its connections (status, connect, settings, sync, logs), file import with a preview, the
 * week's appointments and its webhook deliveries. Every read and change is the admin API's, as the signed-in key.
 */
// The console's HTML pages are a UI over the API, not part of it: left out of /openapi.json.
@Hidden
@Path("/console/businesses/{businessId}")
@Produces(MediaType.TEXT_HTML)
public final class BusinessPages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private final Pages pages;
    private final ConsoleUploads uploads;
    private final Clock clock;

    BusinessPages(Pages pages, ConsoleUploads uploads, Clock clock) {
        this.pages = requireNonNull(pages, "pages is null");
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @GET
    public Response business(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @QueryParam("notice") String notice, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        String base = "/admin/businesses/" + businessId;
        Map<String, Object> business = pages.require(session, uri, base).object();
        Object connections = pages.require(session, uri, base + "/connections").body();
        Object counts = pages.require(session, uri, base + "/record-counts").body();
        Answer connectors = pages.require(session, uri, "/admin/connectors");
        return pages.page(session, "business.ftlh", String.valueOf(business.get("name")))
                .with("business", business).with("connections", connections).with("counts", counts)
                .with("connectors", connectors.object().get("connectors")).notice(notice).build();
    }

    @GET
    @Path("/connections/{connectorId}")
    public Response connection(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @QueryParam("notice") String notice,
            @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        return connectionPage(session, uri, businessId, connectorId).notice(notice).build();
    }

    private Pages.Page connectionPage(Session session, UriInfo uri, UUID businessId, String connectorId) {
        String base = "/admin/businesses/" + businessId;
        Map<String, Object> business = pages.require(session, uri, base).object();
        Map<String, Object> connector = pages.require(session, uri, "/admin/connectors/" + Forms.segment(connectorId))
                .object();
        String path = base + "/connections/" + Forms.segment(connectorId);
        Answer connection = pages.get(session, uri, path);
        Pages.Page page = pages.page(session, "connection.ftlh", connector.get("displayName") + " — "
                + business.get("name")).with("business", business).with("connector", connector);
        Map<String, Object> current = Map.of();
        if (connection.ok()) {
            current = connection.object();
            page.with("connection", current)
                    .with("runs", pages.require(session, uri, path + "/sync-runs?limit=10").object().get("items"))
                    .with("calls", pages.require(session, uri, path + "/api-calls?limit=20").object().get("items"))
                    .with("events", pages.require(session, uri, path + "/events?limit=20").object().get("items"));
        } else if (connection.status() != 404) {
            return page.refused(connection);
        }
        Map<String, Object> values = new HashMap<>();
        if (current.get("config") instanceof Map<?, ?> config) {
            config.forEach((k, v) -> values.put(k.toString(), v));
        }
        if (current.get("secrets") instanceof Map<?, ?> secrets) {
            secrets.forEach((k, v) -> values.put(k.toString(), "set".equals(v) ? "set" : null));
        }
        return page.with("fields", Forms.fields(Forms.properties(connector, "CONNECTION"), values));
    }

    @POST
    @Path("/connections/{connectorId}/settings")
    public Response saveConnection(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, MultivaluedMap<String, String> form, @Context UriInfo uri) {
        Session session = pages.form(cookie, form.getFirst("csrf"), uri);
        Map<String, Object> connector = pages.require(session, uri, "/admin/connectors/" + Forms.segment(connectorId))
                .object();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("config", Forms.config(Forms.properties(connector, "CONNECTION"), form));
        String interval = Forms.blankToNull(form.getFirst("syncInterval"));
        if (interval != null) {
            body.put("syncInterval", interval);
        }
        Answer answer = pages.send(session, uri, "PUT", connectionPath(businessId, connectorId), body);
        if (!answer.ok()) {
            return connectionPage(session, uri, businessId, connectorId).refused(answer).build();
        }
        return Pages.redirect(consoleConnection(businessId, connectorId), "saved");
    }

    @POST
    @Path("/connections/{connectorId}/disable")
    public Response disable(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @PathParam("businessId") UUID businessId, @PathParam("connectorId") String connectorId,
            @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        Answer answer = pages.send(session, uri, "DELETE", connectionPath(businessId, connectorId), null);
        if (!answer.ok()) {
            return connectionPage(session, uri, businessId, connectorId).refused(answer).build();
        }
        return Pages.redirect(consoleConnection(businessId, connectorId), "disabled");
    }

    /**
     * "Connect with ...": starts the API's OAuth flow for this browser (its binding cookie is passed on) and sends
     * the browser to the provider; the callback brings it back to the connection's page.
     */
    @POST
    @Path("/connections/{connectorId}/connect")
    public Response connect(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @PathParam("businessId") UUID businessId, @PathParam("connectorId") String connectorId,
            @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        String back = consoleConnection(businessId, connectorId);
        Answer answer = pages.get(session, uri, "/connectors/" + Forms.segment(connectorId) + "/oauth/start?business="
                + businessId + "&format=json" + Forms.param("returnTo", back));
        if (!answer.ok()) {
            return connectionPage(session, uri, businessId, connectorId).refused(answer).build();
        }
        Response.ResponseBuilder redirect = Response.seeOther(URI.create(answer.object().get("authorizationUrl")
                .toString()));
        for (Object header : answer.headers().getOrDefault("Set-Cookie", List.of())) {
            if (header instanceof NewCookie binding) {
                redirect.cookie(binding);
            } else {
                redirect.header("Set-Cookie", header);
            }
        }
        return Pages.secure(redirect);
    }

    @POST
    @Path("/connections/{connectorId}/sync")
    public Response sync(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @FormParam("mode") String mode, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", Forms.blankToNull(mode));
        Answer answer = pages.send(session, uri, "POST", connectionPath(businessId, connectorId) + "/sync", body);
        if (!answer.ok()) {
            return connectionPage(session, uri, businessId, connectorId).refused(answer).build();
        }
        return Pages.redirect(consoleConnection(businessId, connectorId) + "/runs/" + answer.object().get("id"), null);
    }

    /** A sync run: reloads itself every two seconds while it runs, so progress shows without JavaScript. */
    @GET
    @Path("/connections/{connectorId}/runs/{runId}")
    public Response run(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @PathParam("runId") UUID runId, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        Map<String, Object> business = pages.require(session, uri, "/admin/businesses/" + businessId).object();
        Map<String, Object> detail = pages.require(session, uri, connectionPath(businessId, connectorId)
                + "/sync-runs/" + runId + "?logLimit=50").object();
        Object run = detail.get("run");
        boolean running = run instanceof Map<?, ?> r && "RUNNING".equals(r.get("status"));
        return pages.page(session, "run.ftlh", "Sync run").with("business", business).with("connectorId", connectorId)
                .with("run", run).with("logs", detail.get("logs")).refresh(running).build();
    }

    @GET
    @Path("/connections/{connectorId}/import")
    public Response importForm(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        return importPage(session, uri, businessId, connectorId).build();
    }

    private Pages.Page importPage(Session session, UriInfo uri, UUID businessId, String connectorId) {
        Map<String, Object> business = pages.require(session, uri, "/admin/businesses/" + businessId).object();
        pages.require(session, uri, connectionPath(businessId, connectorId));
        return pages.page(session, "import.ftlh", "Import a file").with("business", business)
                .with("connectorId", connectorId);
    }

    /** Keeps the file and shows the API's dry run of it: what was detected, the columns, the counts, row errors. */
    @POST
    @Path("/connections/{connectorId}/import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response preview(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @PathParam("connectorId") String connectorId,
            @FormDataParam("csrf") String csrf,
            @FormDataParam("kind") String kind,
            @FormDataParam("file") InputStream file,
            @FormDataParam("file")
            FormDataContentDisposition disposition,
            @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        ConsoleUploads.Upload upload;
        try {
            upload = uploads.keep(session, businessId, connectorId, Forms.blankToNull(kind),
                    disposition == null ? null : disposition.getFileName(), file);
        } catch (ConsoleUploads.TooLargeException e) {
            return importPage(session, uri, businessId, connectorId)
                    .failed(413, e.getMessage()).build();
        }
        Answer answer = pages.upload(session, uri, importPath(businessId, connectorId, upload.kind(), true),
                upload.body());
        Pages.Page page = importPage(session, uri, businessId, connectorId).with("upload", upload.view());
        return answer.ok() ? page.with("preview", answer.object()).build() : page.refused(answer).build();
    }

    @POST
    @Path("/connections/{connectorId}/import/{uploadId}/confirm")
    public Response confirm(@CookieParam(Pages.COOKIE) String cookie, @FormParam("csrf") String csrf,
            @PathParam("businessId") UUID businessId, @PathParam("connectorId") String connectorId,
            @PathParam("uploadId") UUID uploadId, @Context UriInfo uri) {
        Session session = pages.form(cookie, csrf, uri);
        ConsoleUploads.Upload upload = uploads.find(session, uploadId, businessId, connectorId).orElse(null);
        if (upload == null) {
            return pages.error(session, 404, "This upload is no longer kept (it was imported or it expired): "
                    + "upload the file again.");
        }
        Answer answer = pages.upload(session, uri, importPath(businessId, connectorId, upload.kind(), false),
                upload.body());
        if (!answer.ok()) {
            return importPage(session, uri, businessId, connectorId).with("upload", upload.view()).refused(answer)
                    .build();
        }
        uploads.delete(uploadId);
        Object run = answer.object().get("run");
        Object runId = run instanceof Map<?, ?> r ? r.get("id") : null;
        return Pages.redirect(consoleConnection(businessId, connectorId) + "/runs/" + runId, null);
    }

    @GET
    @Path("/appointments")
    public Response appointments(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @QueryParam("week") String week, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        String base = "/admin/businesses/" + businessId;
        Map<String, Object> business = pages.require(session, uri, base).object();
        ZoneId zone = ZoneId.of(business.get("timeZone").toString());
        LocalDate monday = weekStart(week, zone);
        Instant from = monday.atStartOfDay(zone).toInstant();
        Instant to = monday.plusWeeks(1).atStartOfDay(zone).toInstant();
        Answer page = pages.require(session, uri, base + "/appointments?limit=500&from=" + from + "&to=" + to);
        Map<String, String> services = names(pages.require(session, uri, base + "/services?limit=500"));
        Map<String, String> staff = names(pages.require(session, uri, base + "/staff?limit=500"));
        List<Map<String, Object>> rows = new ArrayList<>();
        if (page.object().get("items") instanceof List<?> items) {
            for (Object item : items) {
                rows.add(row((Map<?, ?>) item, zone, services, staff));
            }
        }
        return pages.page(session, "appointments.ftlh", "Appointments").with("business", business)
                .with("appointments", rows).with("more", page.object().get("next") != null)
                .with("week", monday.toString()).with("weekLabel", DAY.format(monday) + " – "
                        + DAY.format(monday.plusDays(6)))
                .with("previous", monday.minusWeeks(1).toString()).with("next", monday.plusWeeks(1).toString())
                .build();
    }

    @GET
    @Path("/webhooks")
    public Response webhooks(@CookieParam(Pages.COOKIE) String cookie, @PathParam("businessId") UUID businessId,
            @QueryParam("status") String status, @QueryParam("connector") String connector,
            @QueryParam("cursor") String cursor, @QueryParam("notice") String notice, @Context UriInfo uri) {
        Session session = pages.session(cookie, uri);
        String base = "/admin/businesses/" + businessId;
        Map<String, Object> business = pages.require(session, uri, base).object();
        Answer events = pages.require(session, uri, base + "/webhook-events?limit=50" + Forms.param("status", status)
                + Forms.param("connector", connector) + Forms.param("cursor", cursor));
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("status", status == null ? "" : status);
        filters.put("connector", connector == null ? "" : connector);
        return pages.page(session, "webhooks.ftlh", "Webhook deliveries").with("business", business)
                .with("events", events.object()).with("filters", filters)
                .with("reprocessFrom", "/console/businesses/" + businessId + "/webhooks").notice(notice).build();
    }

    private LocalDate weekStart(String week, ZoneId zone) {
        LocalDate day;
        try {
            day = week == null || week.isBlank() ? LocalDate.now(clock.withZone(zone)) : LocalDate.parse(week.trim());
        } catch (DateTimeParseException e) {
            day = LocalDate.now(clock.withZone(zone));
        }
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** connectorId/externalId to name, from a model listing. */
    private static Map<String, String> names(Answer listing) {
        Map<String, String> names = new HashMap<>();
        if (listing.object().get("items") instanceof List<?> items) {
            for (Object item : items) {
                Map<?, ?> record = (Map<?, ?>) item;
                names.put(record.get("connectorId") + "/" + record.get("externalId"), String.valueOf(record.get("name")));
            }
        }
        return names;
    }

    private static Map<String, Object> row(Map<?, ?> appointment, ZoneId zone, Map<String, String> services,
            Map<String, String> staff) {
        ZonedDateTime start = Instant.parse(appointment.get("start").toString()).atZone(zone);
        ZonedDateTime end = Instant.parse(appointment.get("end").toString()).atZone(zone);
        List<String> serviceNames = new ArrayList<>();
        List<String> staffNames = new ArrayList<>();
        String connector = String.valueOf(appointment.get("connectorId"));
        if (appointment.get("segments") instanceof List<?> segments) {
            for (Object s : segments) {
                Map<?, ?> segment = (Map<?, ?>) s;
                addName(serviceNames, services, connector, segment.get("serviceExternalId"));
                addName(staffNames, staff, connector, segment.get("staffExternalId"));
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", appointment.get("id"));
        row.put("day", DAY.format(start));
        row.put("time", TIME.format(start) + "–" + TIME.format(end));
        row.put("status", String.valueOf(appointment.get("status")));
        row.put("service", String.join(", ", serviceNames));
        row.put("staff", String.join(", ", staffNames));
        row.put("client", appointment.get("clientName") == null ? "" : appointment.get("clientName").toString());
        row.put("connector", connector);
        return row;
    }

    private static void addName(List<String> out, Map<String, String> names, String connector, Object externalId) {
        if (externalId != null) {
            String name = names.getOrDefault(connector + "/" + externalId, externalId.toString());
            if (!out.contains(name)) {
                out.add(name);
            }
        }
    }

    private static String connectionPath(UUID businessId, String connectorId) {
        return "/admin/businesses/" + businessId + "/connections/" + Forms.segment(connectorId);
    }

    private static String consoleConnection(UUID businessId, String connectorId) {
        return "/console/businesses/" + businessId + "/connections/" + Forms.segment(connectorId);
    }

    private static String importPath(UUID businessId, String connectorId, String kind, boolean dryRun) {
        return connectionPath(businessId, connectorId) + "/imports?dryRun=" + dryRun + Forms.param("kind", kind);
    }
}
