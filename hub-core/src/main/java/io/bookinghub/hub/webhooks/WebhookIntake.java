package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.api.Text;
import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.crypto.MissingKeyException;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookRoute;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Receives one webhook request: reads the raw body under a size cap, finds the connection, lets its
 * handler verify the untouched bytes, parses, and stores audit and inbox rows durably before answering.
 *
 * <p>Routing. On the shared route the factory names the provider account
 * ({@link BookingConnectorFactory#webhookAccountId}) and the connections of that connector and account
 * are tried, enabled ones first; the first whose handler verifies the request takes it. On the
 * per-connection route only that connection is tried. A request for which no connection exists cannot
 * be verified (there is no secret to check it with), so it is refused with 401 {@code UNKNOWN_ACCOUNT}
 * and audited; it is not stored. A request that verifies against a disabled connection, or whose
 * parsed event names another account than the verifying connection, is stored as UNROUTED: it is
 * authentic, and an admin may reprocess it once the business is connected.
 *
 * <p>Answers: 200 once stored (also for duplicates), 401 with the reason code for every verification
 * failure, 400 for a verified body the connector cannot parse, 413 for an oversized body, 404 for a
 * connector that is not installed or takes no webhooks, 429 with Retry-After when a verified connection is
 * over its intake limit, 503 when the database cannot store the delivery or the hub lacks the encryption key
 * of the connection's secrets (so the provider retries). Never a redirect and never 410.
 *
 * <p>Longer than most classes on purpose: every answer a provider can get is decided here, in the order
 * the checks run, so what a provider is told (and whether it retries) can be read top to bottom.
 */
public final class WebhookIntake {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
    private static final Duration RETRY_UNAVAILABLE = Duration.ofSeconds(5);

    /** Hub-side refusal reasons, next to {@link WebhookVerificationException.Reason}. */
    public static final String UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT";
    /** More than one enabled connection verifies the request: refused rather than routed to either. */
    public static final String AMBIGUOUS_ROUTE = "AMBIGUOUS_ROUTE";
    public static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";
    public static final String BODY_UNREADABLE = "BODY_UNREADABLE";
    public static final String VERIFIER_ERROR = "VERIFIER_ERROR";
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** The MDC key of the provider's event id(s), on every log line from parsing a delivery to its apply. */
    public static final String EVENT_ID = "eventId";

    /** An HTTP answer: status, JSON body, and when the provider should send again (null: no Retry-After). */
    public record Reply(int status, Object body, Duration retryAfter) {
        public Reply(int status, Object body) {
            this(status, body, null);
        }
    }

    /** The body of a 2xx answer. */
    public record Ack(String status, int events, int duplicates) {
    }

    private final Clock clock;
    private final WebhookConnectors connectors;
    private final WebhookStore store;
    private final AccountRoutes routes;
    private final InboxWriter writer;
    private final RefusedAuditLimiter limiter;
    private final IntakeLimiter intakeLimiter;
    private final int maxBodyBytes;
    private final Duration ackTimeout;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter refused;
    private final Counter unavailable;
    private final Counter throttled;
    private final ThrottledLog unavailableLog;
    private final ThrottledLog auditLog;
    private final ThrottledLog missingKeyLog;
    private final ThrottledLog ambiguousLog;
    private final WebhookMetrics hubMetrics;

    WebhookIntake(Clock clock, WebhookConnectors connectors, WebhookStore store, AccountRoutes routes,
            InboxWriter writer, RefusedAuditLimiter limiter, IntakeLimiter intakeLimiter, int maxBodyBytes,
            Duration ackTimeout, MetricRegistry metrics, WebhookMetrics hubMetrics) {
        this.clock = requireNonNull(clock, "clock is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.store = requireNonNull(store, "store is null");
        this.routes = requireNonNull(routes, "routes is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.intakeLimiter = requireNonNull(intakeLimiter, "intakeLimiter is null");
        this.maxBodyBytes = maxBodyBytes;
        this.ackTimeout = requireNonNull(ackTimeout, "ackTimeout is null");
        this.accepted = metrics.counter("webhooks.accepted");
        this.duplicates = metrics.counter("webhooks.duplicates");
        this.refused = metrics.counter("webhooks.refused");
        this.unavailable = metrics.counter("webhooks.unavailable");
        this.throttled = metrics.counter("webhooks.throttled");
        this.unavailableLog = new ThrottledLog(LOG, clock, ThrottledLog.DEFAULT_INTERVAL);
        this.auditLog = new ThrottledLog(LOG, clock, ThrottledLog.DEFAULT_INTERVAL);
        this.missingKeyLog = new ThrottledLog(LOG, clock, ThrottledLog.DEFAULT_INTERVAL);
        this.ambiguousLog = new ThrottledLog(LOG, clock, ThrottledLog.DEFAULT_INTERVAL);
        this.hubMetrics = requireNonNull(hubMetrics, "hubMetrics is null");
    }

    /** Handles one request whose path and query are not known (tests that post straight to the intake). */
    public Reply receive(String connectorId, UUID connectionId, Map<String, List<String>> headers, InputStream body) {
        return receive(connectorId, connectionId, headers, "", Map.of(), body);
    }

    /**
     * Handles one request.
     *
     * @param connectionId the connection of the per-connection route, or null for the shared route
     * @param headers      request headers as received (names in any case, repeated headers as several values)
     * @param path         the request path as received
     * @param query        the decoded query parameters
     * @param body         the raw request body, read here under the size cap
     */
    public Reply receive(String connectorId, UUID connectionId, Map<String, List<String>> headers, String path,
            Map<String, List<String>> query, InputStream body) {
        requireNonNull(connectorId, "connectorId is null");
        Instant receivedAt = clock.instant();
        Optional<BookingConnectorFactory> factory = connectors.factory(connectorId);
        if (factory.isEmpty()) {
            // Not audited: the id is whatever the caller typed, and nothing is configured to receive it.
            return error(404, "NOT_FOUND", "No connector '" + connectorId + "' receives webhooks here");
        }
        long started = System.nanoTime();
        try {
            return receive(connectorId, factory.get(), connectionId, headers, path, query, body, receivedAt);
        } catch (JdbiException e) {
            unavailableLog.warn("Webhook for {} not stored, database unavailable: {}", connectorId,
                    InboxWriter.summary(e));
            return unavailable(connectorId);
        } finally {
            hubMetrics.intake(connectorId, started);
            MDC.remove(EVENT_ID);
        }
    }

    private Reply receive(String connectorId, BookingConnectorFactory factory, UUID connectionId,
            Map<String, List<String>> headers, String path, Map<String, List<String>> query, InputStream body,
            Instant receivedAt) {
        long declared = contentLength(headers);
        if (declared > maxBodyBytes) {
            return refuse(connectorId, null, 413, BODY_TOO_LARGE, "body of " + declared + " bytes exceeds "
                    + maxBodyBytes, receivedAt, (int) Math.min(declared, Integer.MAX_VALUE), AuditEntry.NOT_CHECKED);
        }
        byte[] bytes;
        try {
            bytes = readCapped(body, maxBodyBytes);
        } catch (IOException e) {
            return refuse(connectorId, null, 400, BODY_UNREADABLE, "request body could not be read",
                    receivedAt, 0, AuditEntry.NOT_CHECKED);
        }
        if (bytes == null) {
            return refuse(connectorId, null, 413, BODY_TOO_LARGE, "body exceeds " + maxBodyBytes + " bytes",
                    receivedAt, maxBodyBytes + 1, AuditEntry.NOT_CHECKED);
        }
        WebhookRequest request = new WebhookRequest(bytes, headers, path, query);

        WebhookRoute route = InstalledConnector.webhookRoute(factory);
        if (connectionId == null && route.kind() == WebhookRoute.Kind.BY_URL) {
            return refuse(connectorId, null, 401, UNKNOWN_ACCOUNT, "this connector routes webhooks by connection: "
                    + "post to the connection's own webhook URL", receivedAt, bytes.length, AuditEntry.NOT_CHECKED);
        }
        List<ConnectionRow> candidates = candidates(connectorId, factory, route, connectionId, request);
        if (candidates.isEmpty()) {
            return refuse(connectorId, null, 401, UNKNOWN_ACCOUNT, connectionId != null ? "no such connection"
                    : route.kind() == WebhookRoute.Kind.BY_PARAMETER
                            ? "no connection for the account " + (route.inQuery() ? "query parameter " : "header ")
                                    + route.parameter() + " names"
                            : "no connection for the account this request names",
                    receivedAt, bytes.length, AuditEntry.NOT_CHECKED);
        }

        String failure = null;
        String failureMessage = null;
        MissingKeyException missingKey = null;
        for (ConnectionRow row : candidates) {
            try (WebhookConnectors.HandlerRef ref = connectors.handler(row)) {
                WebhookHandler handler = ref.handler();
                try {
                    handler.verify(request);
                } catch (WebhookVerificationException e) {
                    if (failure == null) {
                        failure = e.reason().name();
                        failureMessage = e.getMessage();
                    }
                    continue;
                } catch (RuntimeException e) {
                    LOG.warn("Webhook verifier of {} failed unexpectedly: {}", connectorId, e.getClass().getName());
                    if (failure == null) {
                        failure = VERIFIER_ERROR;
                        failureMessage = "the connector could not verify the request";
                    }
                    continue;
                }
                if (row.enabled() && alsoVerifiedByAnotherEnabled(row, candidates, request)) {
                    // Two enabled connections would take this request: picking one would hand a tenant's
                    // events to whichever sorts first, so neither gets it and the operator is told.
                    ambiguousLog.warn("Webhook for {} verifies against several enabled connections ({} and more); "
                            + "refused", connectorId, row.id());
                    return refuse(connectorId, row, 409, AMBIGUOUS_ROUTE, "the request matches more than one enabled "
                            + "connection; the hub refuses it rather than choose", receivedAt, bytes.length,
                            AuditEntry.VERIFIED);
                }
                return accept(connectorId, row, handler, request, receivedAt);
            } catch (ConnectorException e) {
                // The connection's configuration no longer yields a connector (e.g. a secret was removed).
                if (failure == null) {
                    failure = WebhookVerificationException.Reason.NO_SECRET.name();
                    failureMessage = "connection cannot verify webhooks: " + e.code();
                }
            } catch (MissingKeyException e) {
                // The hub cannot open the connection's secrets: the hub's fault, not the sender's.
                missingKey = e;
                missingKeyLog.warn("Webhook for {} connection {} cannot be verified: {}", connectorId, row.id(),
                        e.getMessage());
            }
        }
        if (missingKey != null) {
            // Once an operator adds the key, the provider's retry succeeds; a 401 would tell it to give up.
            return unavailable(connectorId);
        }
        ConnectionRow first = candidates.get(0);
        return refuse(connectorId, first, 401, failure, failureMessage, receivedAt, bytes.length, AuditEntry.FAILED);
    }

    /** Whether an enabled candidate other than {@code verified} also verifies the request. */
    private boolean alsoVerifiedByAnotherEnabled(ConnectionRow verified, List<ConnectionRow> candidates,
            WebhookRequest request) {
        for (ConnectionRow other : candidates) {
            if (other == verified || !other.enabled()) {
                continue;
            }
            try (WebhookConnectors.HandlerRef ref = connectors.handler(other)) {
                ref.handler().verify(request);
                return true;
            } catch (WebhookVerificationException | RuntimeException e) {
                // Does not verify (or cannot be checked): not a second taker.
            }
        }
        return false;
    }

    private List<ConnectionRow> candidates(String connectorId, BookingConnectorFactory factory, WebhookRoute route,
            UUID connectionId, WebhookRequest request) {
        if (connectionId != null) {
            return store.connection(connectionId).filter(r -> r.connectorId().equals(connectorId)).stream().toList();
        }
        Optional<String> account;
        try {
            account = route.kind() == WebhookRoute.Kind.BY_PARAMETER ? route.accountIn(request)
                    : factory.webhookAccountId(request);
        } catch (RuntimeException e) {
            // The contract says "return empty"; a connector bug must not turn into a 500.
            account = Optional.empty();
        }
        if (account == null || account.isEmpty() || account.get().isBlank()) {
            return List.of();
        }
        return routes.connections(connectorId, account.get());
    }

    private Reply accept(String connectorId, ConnectionRow row, WebhookHandler handler, WebhookRequest request,
            Instant receivedAt) {
        byte[] bytes = request.body();
        // Limited after verification: forged requests naming a tenant's account must not use up its budget.
        Optional<Duration> wait = intakeLimiter.tryAcquire(row.id());
        if (wait.isPresent()) {
            throttled.inc();
            Reply refused = refuse(connectorId, row, 429, RATE_LIMITED, "too many webhooks for this connection; "
                    + "retry later", receivedAt, bytes.length, AuditEntry.VERIFIED);
            return new Reply(refused.status(), refused.body(), wait.get());
        }
        List<WebhookEvent> events;
        try {
            events = handler.parse(request);
            if (events == null) {
                events = List.of();
            }
        } catch (RuntimeException e) {
            String message = e instanceof ConnectorException ce ? ce.getMessage() : "the body could not be parsed";
            return invalid(connectorId, row, message, receivedAt, bytes.length);
        }
        String ids = events.stream().map(WebhookEvent::eventId).filter(id -> id != null && !id.isBlank())
                .collect(Collectors.joining(","));
        if (!ids.isEmpty()) {
            MDC.put(EVENT_ID, ids);
        }
        String refused = unstorableText(events);
        if (refused != null) {
            // Authentic but never storable: a 4xx, so the provider stops retrying instead of meeting a 503 forever.
            return invalid(connectorId, row, refused, receivedAt, bytes.length);
        }

        List<WebhookStore.Write> writes = new ArrayList<>();
        if (events.isEmpty()) {
            writes.add(new WebhookStore.Write(new AuditEntry(connectorId, row.businessId(), row.id(), null, null,
                    AuditEntry.VERIFIED, "no events in body", DeliveryOutcome.ACCEPTED, 200, receivedAt, bytes.length),
                    null));
        }
        String bodyHash = null;
        // The request's span, kept with each event so that its apply, later and maybe on another node, links to it.
        String traceParent = HubTracing.traceparent().orElse(null);
        for (int i = 0; i < events.size(); i++) {
            WebhookEvent event = events.get(i);
            // Scoped by the verifying connection: ids and bodies are only unique within one sender (two
            // businesses' zaps may both send event "1"); a redelivery always reaches the same connection.
            String dedupKey;
            if (event.eventId() != null && !event.eventId().isBlank()) {
                dedupKey = row.id() + "/id:" + event.eventId();
            } else {
                bodyHash = bodyHash == null ? sha256(bytes) : bodyHash;
                dedupKey = row.id() + "/sha256:" + bodyHash + (events.size() > 1 ? "#" + i : "");
            }
            boolean accountMatches = row.accountId() == null || event.accountId() == null
                    || row.accountId().equals(event.accountId());
            InboxStatus status = row.enabled() && accountMatches ? InboxStatus.PENDING : InboxStatus.UNROUTED;
            String note = status == InboxStatus.PENDING ? null : !accountMatches
                    ? "event names another account than the connection that verified it"
                    : "connection is disabled";
            // An event for another account is not attributed to the verifying business.
            UUID businessId = accountMatches ? row.businessId() : null;
            UUID connId = accountMatches ? row.id() : null;
            InboxEntry inbox = new InboxEntry(connectorId, dedupKey, businessId, connId, event.eventId(), event.type(),
                    event.accountId(), event.occurredAt(), event.payloadJson(), status, note, receivedAt, traceParent);
            AuditEntry audit = new AuditEntry(connectorId, businessId, connId, event.eventId(), event.type(),
                    AuditEntry.VERIFIED, note, DeliveryOutcome.ACCEPTED, 200, receivedAt, bytes.length);
            writes.add(new WebhookStore.Write(audit, inbox));
        }
        int eventCount = events.size();
        return storeAndAck(connectorId, writes, eventCount);
    }

    private Reply invalid(String connectorId, ConnectionRow row, String message, Instant receivedAt, int bodySize) {
        AuditEntry audit = new AuditEntry(connectorId, row.businessId(), row.id(), null, null, AuditEntry.VERIFIED,
                "INVALID_INPUT: " + message, DeliveryOutcome.INVALID, 400, receivedAt, bodySize);
        hubMetrics.delivery(connectorId, "refused", "INVALID_INPUT", 1);
        return store(List.of(new WebhookStore.Write(audit, null)), () -> error(400, "INVALID_INPUT", message));
    }

    /** Why an event's id, type, account or payload cannot be stored as sent ({@link Text}), or null. */
    private static String unstorableText(List<WebhookEvent> events) {
        for (WebhookEvent event : events) {
            String[][] parts = {{"id", event.eventId()}, {"type", event.type()}, {"account", event.accountId()}};
            for (String[] part : parts) {
                String problem = Text.problem(part[1]);
                if (problem != null) {
                    return "event " + part[0] + " " + problem;
                }
            }
            String problem = Text.jsonProblem(event.payloadJson());
            if (problem != null) {
                return "event payload " + problem;
            }
        }
        return null;
    }

    private Reply storeAndAck(String connectorId, List<WebhookStore.Write> writes, int eventCount) {
        List<WebhookStore.Written> written;
        try {
            written = writer.submit(writes).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(connectorId);
        } catch (ExecutionException | TimeoutException e) {
            return unavailable(connectorId);
        }
        int dup = (int) written.stream().filter(WebhookStore.Written::duplicate).count();
        accepted.inc(eventCount - dup);
        duplicates.inc(dup);
        hubMetrics.delivery(connectorId, "accepted", "", eventCount - dup);
        hubMetrics.delivery(connectorId, "duplicate", "", dup);
        return new Reply(200, new Ack("accepted", eventCount, dup));
    }

    private Reply store(List<WebhookStore.Write> writes, Supplier<Reply> then) {
        try {
            writer.submit(writes).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The answer stands whether or not its audit row could be written.
            auditLog.warn("Webhook audit row not written: {}", e.getClass().getSimpleName());
        }
        return then.get();
    }

    private Reply refuse(String connectorId, ConnectionRow row, int status, String reason, String message,
            Instant receivedAt, int bodySize, String signatureOutcome) {
        refused.inc();
        hubMetrics.delivery(connectorId, "refused", reason, 1);
        Reply reply = error(status, reason, message);
        // Counted per connection where one is known, so one tenant's refusals cannot use up another's audit.
        if (!limiter.tryAcquire(row == null ? connectorId : row.id().toString())) {
            return reply;
        }
        AuditEntry audit = new AuditEntry(connectorId, row == null ? null : row.businessId(),
                row == null ? null : row.id(), null, null, signatureOutcome, reason + ": " + message,
                DeliveryOutcome.REFUSED, status, receivedAt, bodySize);
        return store(List.of(new WebhookStore.Write(audit, null)), () -> reply);
    }

    private static Reply error(int status, String code, String message) {
        return new Reply(status, new ErrorBody(status, code, message, null));
    }

    /** 503 with Retry-After: the hub could not store the delivery (its fault, so the provider retries). */
    private Reply unavailable(String connectorId) {
        unavailable.inc();
        hubMetrics.delivery(connectorId, "unavailable", "", 1);
        Reply reply = error(503, "UNAVAILABLE", "the event could not be stored; retry later");
        return new Reply(reply.status(), reply.body(), RETRY_UNAVAILABLE);
    }

    private static long contentLength(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("Content-Length") && e.getValue().size() == 1) {
                try {
                    return Long.parseLong(e.getValue().get(0).trim());
                } catch (NumberFormatException ignored) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The whole body, or null if it is longer than {@code max}; never reads more than max + 1 bytes. */
    static byte[] readCapped(InputStream in, int max) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, max + 1L - total))) > 0) {
            out.write(buffer, 0, n);
            total += n;
            if (total > max) {
                return null;
            }
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
