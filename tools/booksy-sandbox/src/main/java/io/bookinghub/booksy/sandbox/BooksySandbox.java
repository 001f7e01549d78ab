package io.bookinghub.booksy.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bookinghub.booksy.sandbox.SandboxRecords.Appointment;
import io.bookinghub.booksy.sandbox.SandboxRecords.Client;
import io.bookinghub.booksy.sandbox.SandboxRecords.Row;
import io.bookinghub.booksy.sandbox.SandboxRecords.Service;
import io.bookinghub.booksy.sandbox.SandboxRecords.Staff;
import io.bookinghub.booksy.sandbox.SandboxRecords.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful simulator of the assumed Booksy API (see the shared wire-format contract): OAuth 2.0 with
 * PKCE S256, paginated resources of one seeded business, rate limiting, fault injection and Standard
 * Webhooks-signed events for every mutation.
 *
 * <pre>{@code
 * try (BooksySandbox sandbox = BooksySandbox.builder().redirectUris("http://localhost:8080/cb").build().start()) {
 *     String api = sandbox.baseUrl() + "/api/v1/appointments";
 *     ...
 * }
 * }</pre>
 *
 * <p>Everything time-dependent (token expiry, updated_at, rate-limit refill, generated appointment dates) reads
 * the injected {@link Clock}; all generated data derives from the seed. Token values come from the injected
 * {@link Random} (a {@link SecureRandom} by default). The server binds to the loopback interface only.
 */
public final class BooksySandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BooksySandbox.class);

    /** Client id used by {@link #main(String[])} and as the builder default. */
    public static final String DEMO_CLIENT_ID = "booksy-demo-client";
    /** Client secret used by {@link #main(String[])} and as the builder default; a well-known demo value. */
    public static final String DEMO_CLIENT_SECRET = "booksy-demo-secret";
    /** The one business of the seeded account. */
    public static final String BUSINESS_ID = SandboxStore.BUSINESS_ID;
    /** Page size when per_page is absent, and the largest accepted (larger values are clamped). */
    public static final int DEFAULT_PER_PAGE = 100;
    public static final int MAX_PER_PAGE = 500;
    /** Longest availability range served in one request, in days. */
    public static final int MAX_AVAILABILITY_DAYS = 62;

    private static final String API = "/api/v1/";
    private static final String HTML_ERROR = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            + "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

    private final String host;
    private final int requestedPort;
    private final int threads;
    private final String clientId;
    private final String apiKey;
    private final String apiKeyHeader;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SandboxStore store;
    private final JsonViews views;
    private final OAuthEndpoints oauth;
    private final WebhookSender webhooks;
    private final WriteEndpoints writes;
    private final Faults faults = new Faults();
    private final Map<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile String lastAuthorization;
    private volatile Duration latency;
    private volatile TokenBucket bucket;
    private HttpServer server;
    private ExecutorService executor;

    private BooksySandbox(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.clientId = b.clientId;
        this.apiKey = b.apiKey;
        this.apiKeyHeader = b.apiKeyHeader;
        this.clock = b.clock;
        Random random = b.random;
        this.store = DataGenerator.generate(b.seed, clock, b.clients, b.appointments);
        this.views = new JsonViews(mapper, store);
        this.oauth = new OAuthEndpoints(mapper, clock, () -> opaque(random, 32), b.clientId, b.clientSecret,
                b.redirectUris, b.allowLocalhostRedirects, b.scope, b.authorizationCodeTtl, b.accessTokenTtl);
        oauth.omitRefreshTokenOnRefresh(b.omitRefreshTokenOnRefresh);
        this.webhooks = new WebhookSender(mapper, clock, () -> opaque(random, 16));
        if (b.webhookUri != null) {
            webhooks.target(b.webhookUri, b.webhookSecret);
        }
        this.writes = new WriteEndpoints(mapper, store, views, this::emit);
        this.latency = b.latency;
        this.bucket = b.ratePerSecond > 0 ? new TokenBucket(clock, b.ratePerSecond, b.burst) : null;
    }

    /** A builder with demo defaults: port 0 (ephemeral), seed 42, 60 clients, 200 appointments, 1 h tokens. */
    public static Builder builder() {
        return new Builder();
    }

    private static String opaque(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Binds and starts serving; returns this for chaining. */
    public synchronized BooksySandbox start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        // The JDK server writes a response's headers and body in separate packets; with Nagle's algorithm on
        // and the client's delayed ACK, every response then waits about 40 ms on Linux. Set before the
        // server exists because the JDK reads the property once, when the server classes initialise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + host + ":" + requestedPort, e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "booksy-sandbox-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("Booksy sandbox listening on {}", baseUrl());
        return this;
    }

    /** e.g. {@code http://127.0.0.1:54321}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    public String clientId() {
        return clientId;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
        webhooks.close();
    }

    // ---- runtime configuration -------------------------------------------------------------------------------

    /** Artificial delay before every response (zero disables). */
    public void latency(Duration delay) {
        this.latency = Objects.requireNonNull(delay, "delay is null");
    }

    /** Replaces the API rate limiter with a fresh, full bucket. */
    public void rateLimit(double perSecond, int burst) {
        this.bucket = new TokenBucket(clock, perSecond, burst);
    }

    public void disableRateLimit() {
        this.bucket = null;
    }

    /** Where mutations POST their events; null uri stops sending. The secret is {@code whsec_<base64 key>}. */
    public void webhookTarget(URI uri, String whsecSecret) {
        webhooks.target(uri, whsecSecret);
    }

    /** Lifetime of access tokens issued from now on. */
    public void accessTokenTtl(Duration ttl) {
        oauth.accessTokenTtl(ttl);
    }

    /** When true, refresh responses carry no refresh_token and the presented one stays valid. */
    public void omitRefreshTokenOnRefresh(boolean omit) {
        oauth.omitRefreshTokenOnRefresh(omit);
    }

    /** When true, the authorize endpoint redirects with error=access_denied instead of a code. */
    public void denyAuthorizations(boolean deny) {
        oauth.denyAuthorizations(deny);
    }

    /** Mints a token pair without the browser leg, as if a user had just authorized the demo client. */
    public TokenPair issueTokens() {
        return oauth.issueDirectly();
    }

    /** Invalidates every access and refresh token (e.g. to simulate a user disconnecting the app). */
    public void revokeAllTokens() {
        oauth.revokeAll();
    }

    // ---- fault injection -------------------------------------------------------------------------------------

    /**
     * The next {@code n} API requests ({@code /api/...}) fail with {@code status} and a JSON error body;
     * 429 and 503 carry {@code Retry-After: 1}.
     */
    public void failNext(int n, int status) {
        failNext(API, n, status);
    }

    /** Like {@link #failNext(int, int)} for requests whose path starts with {@code pathPrefix} ("/" = all). */
    public void failNext(String pathPrefix, int n, int status) {
        String retryAfter = status == 429 || status == 503 ? "1" : null;
        faults.add(n, new Faults.Fault(pathPrefix, Faults.Kind.STATUS, checkStatus(status), retryAfter));
    }

    /** The next {@code n} API requests fail with {@code status} and the given Retry-After value (seconds or HTTP-date). */
    public void failNextWithRetryAfter(int n, int status, String retryAfter) {
        faults.add(n, new Faults.Fault(API, Faults.Kind.STATUS, checkStatus(status),
                Objects.requireNonNull(retryAfter, "retryAfter is null")));
    }

    /** The next {@code n} API requests get a 502 proxy-style HTML page instead of JSON. */
    public void failNextWithHtml(int n) {
        failNextWithHtml(n, 502);
    }

    /** The next {@code n} API requests get an HTML page with the given status (200 simulates a captive portal). */
    public void failNextWithHtml(int n, int status) {
        faults.add(n, new Faults.Fault(API, Faults.Kind.HTML, checkStatus(status), null));
    }

    /** The next {@code n} successful API responses are cut in half (a 200 with invalid JSON). */
    public void truncateNext(int n) {
        faults.add(n, new Faults.Fault(API, Faults.Kind.TRUNCATE, 200, null));
    }

    /** The next {@code n} writes (non-GET API requests) fail with {@code status} before anything is changed. */
    public void failNextWrites(int n, int status) {
        faults.add(n, new Faults.Fault(API, Faults.Kind.STATUS, checkStatus(status), null, true, Duration.ZERO));
    }

    /** The next {@code n} writes are made, then their connection is closed without an answer. */
    public void loseNextWriteAnswers(int n) {
        faults.add(n, new Faults.Fault(API, Faults.Kind.LOSE_ANSWER, 0, null, true, Duration.ZERO));
    }

    /** The next {@code n} writes are made, then answered only after {@code delay}. */
    public void slowNextWriteAnswers(int n, Duration delay) {
        faults.add(n, new Faults.Fault(API, Faults.Kind.SLOW_ANSWER, 0, null, true,
                WriteEndpoints.checkDelay(delay)));
    }

    public int pendingFaults() {
        return faults.pending();
    }

    public void clearFaults() {
        faults.clear();
    }

    private static int checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        return status;
    }

    // ---- introspection (tests) -------------------------------------------------------------------------------

    /** Requests received for an exact path (no query), including failed and rate-limited ones. */
    public long requestCount(String path) {
        AtomicLong c = requestCounts.get(path);
        return c == null ? 0 : c.get();
    }

    /** Snapshot of all request counts by path, sorted by path. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        requestCounts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Writes through the API that changed the calendar (answers replayed for an idempotency key not counted). */
    public long writesCommitted() {
        return writes.committed();
    }

    /** Appointments booked through the API with this external_reference (0 or 1: references are unique). */
    public Optional<ObjectNode> appointmentByReference(String reference) {
        return Optional.ofNullable(store.byReference(reference)).map(views::appointment);
    }

    /** Access tokens issued so far (code exchanges, refreshes and {@link #issueTokens()}). */
    public int tokensIssued() {
        return oauth.tokensIssued.get();
    }

    /** Successful refresh_token grants so far. */
    public int refreshesPerformed() {
        return oauth.refreshesPerformed.get();
    }

    /** Requests answered 429 by the rate limiter (injected 429 faults not included). */
    public int rateLimitedCount() {
        return rateLimited.get();
    }

    /** The raw Authorization header of the most recent request that had one. For tests only: it holds a secret. */
    public Optional<String> lastAuthorizationHeader() {
        return Optional.ofNullable(lastAuthorization);
    }

    /** Outcomes of webhook POSTs so far, in send order. */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    /** Blocks until at least {@code count} webhook deliveries have completed (either way) or the timeout passes. */
    public boolean awaitWebhookDeliveries(int count, Duration timeout) throws InterruptedException {
        return webhooks.awaitDeliveries(count, timeout);
    }

    public void resetRequestCounts() {
        requestCounts.clear();
        rateLimited.set(0);
    }

    // ---- data access (tests, demo) ---------------------------------------------------------------------------

    public List<String> appointmentIds() {
        return ids(store.appointments.snapshot(), "a-");
    }

    public List<String> clientIds() {
        return ids(store.clients.snapshot(), "c-");
    }

    public List<String> staffIds() {
        return ids(store.staff.snapshot(), "s-");
    }

    public List<String> serviceIds() {
        return ids(store.services.snapshot(), "svc-");
    }

    private static List<String> ids(List<? extends Row> rows, String prefix) {
        int[] raw = new int[rows.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = rows.get(i).id();
        }
        Arrays.sort(raw);
        List<String> out = new ArrayList<>(raw.length);
        for (int id : raw) {
            out.add(prefix + id);
        }
        return out;
    }

    /** The appointment as the API would render it, if it exists. */
    public Optional<ObjectNode> appointment(String id) {
        return Optional.ofNullable(store.appointments.get(parseId(id, "a-"))).map(views::appointment);
    }

    public Optional<ObjectNode> client(String id) {
        return Optional.ofNullable(store.clients.get(parseId(id, "c-"))).map(views::client);
    }

    public Optional<ObjectNode> service(String id) {
        return Optional.ofNullable(store.services.get(parseId(id, "svc-"))).map(views::service);
    }

    public Optional<ObjectNode> staff(String id) {
        return Optional.ofNullable(store.staff.get(parseId(id, "s-"))).map(views::staff);
    }

    // ---- mutations -------------------------------------------------------------------------------------------
    // Each bumps updated_at from the clock (and the appointment version), then emits a webhook when a target
    // is configured. They return the resource as now rendered by the API.

    /** Books the service's first variant; returns the new appointment (status booked, version 1). */
    public ObjectNode createAppointment(String clientId, String serviceId, String staffId, Instant start) {
        return createAppointment(clientId, serviceId, null, staffId, start, null);
    }

    /** Books one segment; {@code variantId} null means the first variant. */
    public ObjectNode createAppointment(String clientId, String serviceId, String variantId, String staffId,
                                        Instant start, String clientNote) {
        Appointment a = store.createAppointment(requireId(clientId, "c-"), requireId(serviceId, "svc-"),
                variantId == null ? null : requireId(variantId, "var-"), requireId(staffId, "s-"), start, clientNote);
        return emit("appointment.created", views.appointment(a));
    }

    /** Moves every segment so the appointment starts at {@code newStart}. */
    public ObjectNode rescheduleAppointment(String id, Instant newStart) {
        return emit("appointment.updated", views.appointment(store.rescheduleAppointment(requireId(id, "a-"), newStart)));
    }

    public ObjectNode cancelAppointment(String id, boolean byClient, String reason) {
        return emit("appointment.cancelled",
                views.appointment(store.cancelAppointment(requireId(id, "a-"), byClient, reason)));
    }

    /** Sets a wire status such as "confirmed", "arrived", "finished" or "no_show". */
    public ObjectNode setAppointmentStatus(String id, String wireStatus) {
        Status status = null;
        for (Status s : Status.values()) {
            if (s.wire.equals(wireStatus)) {
                status = s;
            }
        }
        if (status == null || status == Status.CANCELLED) {
            throw new IllegalArgumentException("unsupported status (use cancelAppointment to cancel): " + wireStatus);
        }
        return emit("appointment.updated",
                views.appointment(store.setAppointmentStatus(requireId(id, "a-"), status)));
    }

    /** Null arguments keep the current value. */
    public ObjectNode updateService(String id, String name, String description, Boolean active) {
        return emit("service.updated",
                views.service(store.updateService(requireId(id, "svc-"), name, description, active)));
    }

    public ObjectNode updateVariantPrice(String serviceId, String variantId, BigDecimal amount) {
        long cents = amount.setScale(2, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        return emit("service.updated", views.service(
                store.updateVariantPrice(requireId(serviceId, "svc-"), requireId(variantId, "var-"), cents)));
    }

    /** Removes the service from lists; the event carries its last state with active=false. */
    public ObjectNode deleteService(String id) {
        return emit("service.deleted", views.service(store.deleteService(requireId(id, "svc-"))));
    }

    /** Null arguments keep the current value. */
    public ObjectNode updateClient(String id, String firstName, String lastName, String email, String phone) {
        return emit("client.updated",
                views.client(store.updateClient(requireId(id, "c-"), firstName, lastName, email, phone)));
    }

    /**
     * Removes the client from lists. The contract has no client.deleted event, so a client.updated event is sent
     * whose data carries {@code "deleted": true}.
     */
    public ObjectNode deleteClient(String id) {
        ObjectNode node = views.client(store.deleteClient(requireId(id, "c-")));
        node.put("deleted", true);
        return emit("client.updated", node);
    }

    private ObjectNode emit(String type, ObjectNode data) {
        try {
            webhooks.emit(type, BUSINESS_ID, data.deepCopy());
        } catch (RuntimeException e) {
            LOG.warn("webhook {} not sent: {}", type, e.toString());
        }
        return data;
    }

    private static int requireId(String id, String prefix) {
        int n = parseId(id, prefix);
        if (n < 0) {
            throw new IllegalArgumentException("expected an id like " + prefix + "1 but got: " + id);
        }
        return n;
    }

    /** Numeric part of "a-12"-style ids, or -1 when the id does not have that form. */
    static int parseId(String id, String prefix) {
        if (id == null || !id.startsWith(prefix) || id.length() == prefix.length()) {
            return -1;
        }
        try {
            int n = Integer.parseInt(id.substring(prefix.length()));
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try {
            requestCounts.computeIfAbsent(path, k -> new AtomicLong()).incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                lastAuthorization = auth;
            }
            Duration delay = latency;
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            Faults.Fault fault = faults.take(ex.getRequestMethod(), path);
            if (fault != null && fault.answersInstead()) {
                sendFault(ex, fault);
                return;
            }
            // Exchange attributes are shared per context in the JDK server, so the flag travels as an argument.
            boolean truncate = fault != null && fault.kind() == Faults.Kind.TRUNCATE;
            switch (path) {
                case "/oauth/authorize" -> oauth.authorize(ex);
                case "/oauth/token" -> oauth.token(ex);
                case "/oauth/revoke" -> oauth.revoke(ex);
                default -> {
                    if (path.startsWith(API) && !"GET".equals(ex.getRequestMethod())) {
                        if (admitted(ex)) {
                            writes.handle(ex, path.substring(API.length()), fault);
                        }
                    } else if (path.startsWith(API)) {
                        api(ex, path.substring(API.length()), truncate);
                    } else {
                        Exchanges.apiError(ex, mapper, 404, "not_found", "no such endpoint");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        } catch (RuntimeException e) {
            LOG.error("sandbox failed on {}", path, e);
            Exchanges.apiError(ex, mapper, 500, "internal_error", "sandbox error");
        }
    }

    private void sendFault(HttpExchange ex, Faults.Fault fault) throws IOException {
        if (fault.retryAfter() != null) {
            ex.getResponseHeaders().set("Retry-After", fault.retryAfter());
        }
        if (fault.kind() == Faults.Kind.HTML) {
            Exchanges.send(ex, fault.status(), "text/html; charset=utf-8", HTML_ERROR.getBytes(StandardCharsets.UTF_8));
            return;
        }
        String code = switch (fault.status()) {
            case 429 -> "rate_limited";
            case 500 -> "internal_error";
            case 502 -> "bad_gateway";
            case 503 -> "service_unavailable";
            case 504 -> "gateway_timeout";
            default -> "injected_fault";
        };
        Exchanges.apiError(ex, mapper, fault.status(), code, "injected fault");
    }

    /** Rate limit and authentication of an API request; false when it was answered with 429 or 401. */
    private boolean admitted(HttpExchange ex) throws IOException {
        TokenBucket b = bucket;
        if (b != null) {
            long wait = b.tryAcquire();
            if (wait > 0) {
                rateLimited.incrementAndGet();
                ex.getResponseHeaders().set("Retry-After", Long.toString(wait));
                Exchanges.apiError(ex, mapper, 429, "rate_limited", "too many requests");
                return false;
            }
        }
        if (!authorized(ex)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"booksy\", error=\"invalid_token\"");
            Exchanges.apiError(ex, mapper, 401, "unauthorized", "missing, invalid or expired access token");
            return false;
        }
        return true;
    }

    private void api(HttpExchange ex, String resource, boolean truncate) throws IOException {
        if (!admitted(ex)) {
            return;
        }
        Map<String, String> q = Exchanges.query(ex);
        Integer page = intParam(q, "page", 1);
        Integer perPage = intParam(q, "per_page", DEFAULT_PER_PAGE);
        if (page == null || perPage == null) {
            Exchanges.apiError(ex, mapper, 400, "invalid_request", "page and per_page must be positive integers");
            return;
        }
        perPage = Math.min(perPage, MAX_PER_PAGE);
        Long since;
        try {
            since = parseInstant(q.get("updated_since"));
        } catch (DateTimeParseException e) {
            Exchanges.apiError(ex, mapper, 400, "invalid_request", "updated_since must be an ISO-8601 instant");
            return;
        }
        String businessId = q.get("business_id");
        boolean otherBusiness = businessId != null && !businessId.equals(BUSINESS_ID);
        if (resource.startsWith("appointments/")) {
            // The single-record read the connector uses for id-only webhook payloads (its appointmentPath).
            String id = Exchanges.decode(resource.substring("appointments/".length()));
            Appointment a = store.appointments.get(parseId(id, "a-"));
            if (a == null || otherBusiness) {
                Exchanges.apiError(ex, mapper, 404, "not_found", "no such appointment");
                return;
            }
            byte[] body = mapper.writeValueAsBytes(views.appointment(a));
            Exchanges.send(ex, 200, Exchanges.JSON, truncate ? Arrays.copyOf(body, body.length / 2) : body);
            return;
        }
        String locationParam = q.get("location_id");
        int location = locationParam == null ? 0 : parseId(locationParam, "l-");

        switch (resource) {
            case "businesses" -> {
                boolean include = !otherBusiness && (since == null || store.businessUpdatedAtMillis >= since);
                sendPage(ex, include ? List.of(views.business()) : List.of(), page, perPage, Function.identity(),
                        truncate);
            }
            case "staff" -> sendPage(ex, otherBusiness ? List.<Staff>of() : store.staff.select(since,
                    location == 0 ? null : s -> s.locationId() == location), page, perPage, views::staff, truncate);
            case "services" -> sendPage(ex, otherBusiness ? List.<Service>of() : store.services.select(since, null),
                    page, perPage, views::service, truncate);
            case "clients" -> sendPage(ex, otherBusiness ? List.<Client>of() : store.clients.select(since, null),
                    page, perPage, views::client, truncate);
            case "appointments" -> {
                String reference = q.get("external_reference");
                if (reference != null) {
                    // How a client that lost a write's answer finds out whether the write happened.
                    Appointment booked = store.byReference(reference);
                    sendPage(ex, booked == null || otherBusiness ? List.<Appointment>of() : List.of(booked), page,
                            perPage, views::appointment, truncate);
                    return;
                }
                Predicate<Appointment> filter = location == 0 ? null : a -> a.locationId() == location;
                sendPage(ex, otherBusiness ? List.<Appointment>of() : store.appointments.select(since, filter),
                        page, perPage, views::appointment, truncate);
            }
            case "availability" -> availability(ex, q, otherBusiness, location, page, perPage, truncate);
            default -> Exchanges.apiError(ex, mapper, 404, "not_found", "unknown resource: " + resource);
        }
    }

    private void availability(HttpExchange ex, Map<String, String> q, boolean otherBusiness, int location,
                              int page, int perPage, boolean truncate) throws IOException {
        LocalDate from;
        LocalDate to;
        try {
            from = LocalDate.parse(Objects.requireNonNull(q.get("date_from")));
            to = LocalDate.parse(Objects.requireNonNull(q.get("date_to")));
        } catch (NullPointerException | DateTimeParseException e) {
            Exchanges.apiError(ex, mapper, 400, "invalid_request", "date_from and date_to (yyyy-MM-dd) are required");
            return;
        }
        if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_AVAILABILITY_DAYS) {
            Exchanges.apiError(ex, mapper, 400, "invalid_request",
                    "date_to must be on or after date_from and at most " + MAX_AVAILABILITY_DAYS + " days later");
            return;
        }
        String staffParam = q.get("staff_id");
        String serviceParam = q.get("service_id");
        List<SandboxStore.Slot> slots = otherBusiness ? List.of() : store.availability(from, to,
                staffParam == null ? null : parseId(staffParam, "s-"),
                serviceParam == null ? null : parseId(serviceParam, "svc-"),
                location == 0 ? null : location);
        sendPage(ex, slots, page, perPage, views::slot, truncate);
    }

    private boolean authorized(HttpExchange ex) {
        String key = apiKey;
        if (key != null) {
            String presented = ex.getRequestHeaders().getFirst(apiKeyHeader);
            if (presented != null && MessageDigest.isEqual(
                    presented.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return oauth.isValidAccessToken(auth.substring(7).trim());
    }

    private <T> void sendPage(HttpExchange ex, List<T> all, int page, int perPage,
                              Function<? super T, ObjectNode> render, boolean truncate) throws IOException {
        int total = all.size();
        int totalPages = (total + perPage - 1) / perPage;
        ObjectNode root = mapper.createObjectNode();
        ArrayNode data = root.putArray("data");
        long from = (long) (page - 1) * perPage;
        for (long i = from; i < Math.min(total, from + perPage); i++) {
            data.add(render.apply(all.get((int) i)));
        }
        ObjectNode p = root.putObject("pagination");
        p.put("page", page);
        p.put("per_page", perPage);
        p.put("total_pages", totalPages);
        p.put("total_count", total);
        byte[] body = mapper.writeValueAsBytes(root);
        if (truncate) {
            body = Arrays.copyOf(body, body.length / 2);
        }
        Exchanges.send(ex, 200, Exchanges.JSON, body);
    }

    private static Integer intParam(Map<String, String> q, String name, int dflt) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            return n >= 1 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseInstant(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        }
    }

    // ---- main ------------------------------------------------------------------------------------------------

    /**
     * Starts a demo sandbox: {@code [port]} (default 8099). Accepts any http://localhost redirect URI and the
     * {@link #DEMO_CLIENT_ID} / {@link #DEMO_CLIENT_SECRET} client. Runs until killed.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        BooksySandbox sandbox = builder().port(port).allowLocalhostRedirects(true).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "booksy-sandbox-shutdown"));
        System.out.println("Booksy sandbox: " + sandbox.baseUrl());
        System.out.println("Business id:    " + BUSINESS_ID);
        System.out.println("Client id:      " + sandbox.clientId()
                + " (secret: BooksySandbox.DEMO_CLIENT_SECRET; any http://localhost redirect URI)");
        Thread.currentThread().join();
    }

    // ---- builder ---------------------------------------------------------------------------------------------

    /** Configuration for {@link BooksySandbox}. Not thread-safe; {@link #build()} generates the data. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int threads = 8;
        private String clientId = DEMO_CLIENT_ID;
        private String clientSecret = DEMO_CLIENT_SECRET;
        private final Set<String> redirectUris = new LinkedHashSet<>();
        private boolean allowLocalhostRedirects;
        private String scope = "business:read appointments:read clients:read";
        private long seed = 42;
        private Clock clock = Clock.systemUTC();
        private Random random = new SecureRandom();
        private Duration accessTokenTtl = Duration.ofHours(1);
        private Duration authorizationCodeTtl = Duration.ofMinutes(1);
        private boolean omitRefreshTokenOnRefresh;
        private String apiKey;
        private String apiKeyHeader = "X-Api-Key";
        private double ratePerSecond;
        private int burst;
        private Duration latency = Duration.ZERO;
        private URI webhookUri;
        private String webhookSecret;
        private int clients = 60;
        private int appointments = 200;

        private Builder() {
        }

        /** Interface to bind; loopback by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host is null");
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Size of the HTTP worker pool. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = threads;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId is null");
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret is null");
            return this;
        }

        /** Exact redirect URIs the client may use (added to any set before). */
        public Builder redirectUris(String... uris) {
            return redirectUris(List.of(uris));
        }

        public Builder redirectUris(Collection<String> uris) {
            for (String u : uris) {
                redirectUris.add(Objects.requireNonNull(u, "redirect uri is null"));
            }
            return this;
        }

        /** Also accept any http://localhost or http://127.0.0.1 redirect URI (demo convenience). */
        public Builder allowLocalhostRedirects(boolean allow) {
            this.allowLocalhostRedirects = allow;
            return this;
        }

        /** Scope granted when the authorize request names none. */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope is null");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock is null");
            return this;
        }

        /** Source of token and event-id randomness (default {@link SecureRandom}). */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random is null");
            return this;
        }

        public Builder accessTokenTtl(Duration ttl) {
            this.accessTokenTtl = positive(ttl, "accessTokenTtl");
            return this;
        }

        public Builder authorizationCodeTtl(Duration ttl) {
            this.authorizationCodeTtl = positive(ttl, "authorizationCodeTtl");
            return this;
        }

        public Builder omitRefreshTokenOnRefresh(boolean omit) {
            this.omitRefreshTokenOnRefresh = omit;
            return this;
        }

        /** Enables api-key mode: this key in {@link #apiKeyHeader(String)} (default X-Api-Key) is accepted. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey is null");
            return this;
        }

        public Builder apiKeyHeader(String header) {
            this.apiKeyHeader = Objects.requireNonNull(header, "header is null");
            return this;
        }

        /** Token bucket over all API requests: refills {@code perSecond}, holds at most {@code burst}. */
        public Builder rateLimit(double perSecond, int burst) {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("rate and burst must be positive");
            }
            this.ratePerSecond = perSecond;
            this.burst = burst;
            return this;
        }

        public Builder latency(Duration latency) {
            Objects.requireNonNull(latency, "latency is null");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            this.latency = latency;
            return this;
        }

        /** Where mutations POST Standard Webhooks events; the secret is {@code whsec_<base64 key>}. */
        public Builder webhookTarget(URI uri, String whsecSecret) {
            this.webhookUri = Objects.requireNonNull(uri, "uri is null");
            this.webhookSecret = Objects.requireNonNull(whsecSecret, "whsecSecret is null");
            WebhookSender.decodeSecret(whsecSecret);
            return this;
        }

        public Builder clients(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("client count must not be negative");
            }
            this.clients = count;
            return this;
        }

        /** Appointments to generate; 100_000 and more are fine for benchmarks (compact storage). */
        public Builder appointments(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("appointment count must not be negative");
            }
            this.appointments = count;
            return this;
        }

        public Builder dataSize(int clients, int appointments) {
            return clients(clients).appointments(appointments);
        }

        /** Generates the seeded data; call {@link BooksySandbox#start()} to serve it. */
        public BooksySandbox build() {
            return new BooksySandbox(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name + " is null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
