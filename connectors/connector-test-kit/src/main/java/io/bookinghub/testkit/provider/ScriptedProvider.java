package io.bookinghub.testkit.provider;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bookinghub.testkit.MutableClock;
import io.bookinghub.testkit.TestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A provider stand-in a connector's tests declare instead of hand-writing WireMock stubs: a real HTTP server (the
 * JDK's, on 127.0.0.1 and a free port) serving declared {@link Resource resources} with {@link Paging paging}, an
 * updated-after filter and a required credential header, plus scripted behaviours (fail the next requests, answer
 * HTML or malformed JSON, delay) and a log of every request, so checks can assert what the connector sent.
 *
 * <p>The example provider of the connector guide, in full:
 * <pre>{@code
 * ScriptedProvider provider = ScriptedProvider.builder()
 *         .credentialHeader("X-Api-Key", "key-1")
 *         .resource(Resource.at("/services").kind(RecordKind.SERVICE)
 *                 .paging(Paging.pageNumber("page", "per_page", "next_page")).records(List.of(...)))
 *         .resource(Resource.at("/bookings").kind(RecordKind.APPOINTMENT)
 *                 .paging(Paging.pageNumber("page", "per_page", "next_page")).maxPageSize(5)
 *                 .updatedAfter("updated_after", "updated_at").versionField("version")
 *                 .template(i -> booking(i)).records(12))
 *         .start();
 * }</pre>
 *
 * <p>Answers: a list is {@code 200 {"<data>": [...page...], <paging fields>}}, one record ({@code GET <path>/<id>})
 * is {@code 200 {...}}; a missing or wrong credential {@code 401}, an unknown path or id {@code 404}, a method other
 * than GET {@code 405}, an unparsable paging or filter parameter {@code 400}, each with a small JSON error body.
 *
 * <p>Thread-safe; requests are served concurrently. Close it after the test.
 */
public final class ScriptedProvider implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> RECORD = new TypeReference<>() {
    };

    /** A scripted answer for the next request, whatever it asks. */
    private record Behaviour(Kind kind, int status, Duration retryAfter) {
        enum Kind { FAIL, HTML, MALFORMED_JSON }
    }

    private static final class State {
        final Resource declared;
        final Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        int made;

        State(Resource declared) {
            this.declared = declared;
        }
    }

    private final Map<String, State> resources;
    private final String credentialHeader;
    private final String credentialValue;
    private final MutableClock clock = new MutableClock(TestContext.DEFAULT_NOW);
    private final Deque<Behaviour> next = new ArrayDeque<>();
    private final List<RecordedRequest> log = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private Behaviour always;
    private Duration delay = Duration.ZERO;

    private ScriptedProvider(Builder b) throws IOException {
        this.credentialHeader = b.credentialHeader;
        this.credentialValue = b.credentialValue;
        Map<String, State> states = new LinkedHashMap<>();
        for (Resource r : b.resources) {
            State state = new State(r);
            for (Map<String, Object> record : r.records) {
                Map<String, Object> copy = copy(record);
                state.records.put(idOf(r, copy), copy);
            }
            state.made = r.records.size();
            if (states.put(r.path, state) != null) {
                throw new IllegalArgumentException("resource declared twice: " + r.path);
            }
        }
        this.resources = states;
        this.executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread t = new Thread(runnable, "scripted-provider");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Declares the provider; {@link #start()} serves it. */
    public static final class Builder {
        private final List<Resource> resources = new ArrayList<>();
        private String credentialHeader;
        private String credentialValue;

        private Builder() {
        }

        /** Every request must carry {@code name: value} exactly, else it is answered 401. Default: no check. */
        public Builder credentialHeader(String name, String value) {
            this.credentialHeader = requireNonNull(name, "name is null");
            this.credentialValue = requireNonNull(value, "value is null");
            return this;
        }

        public Builder resource(Resource resource) {
            resources.add(requireNonNull(resource, "resource is null"));
            return this;
        }

        public ScriptedProvider start() {
            try {
                return new ScriptedProvider(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the scripted provider", e);
            }
        }
    }

    // ---------------------------------------------------------------- where and what

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The credential header's name, or null when none is required. */
    public String credentialHeaderName() {
        return credentialHeader;
    }

    /** The credential header's required value, or null when none is required. */
    public String credentialValue() {
        return credentialValue;
    }

    /** The ids of a resource's records, in list order. */
    public synchronized List<String> ids(String path) {
        return List.copyOf(state(path).records.keySet());
    }

    /**
     * The provider's clock, which stamps changes (starts at {@link TestContext#DEFAULT_NOW}; every stamp moves it one
     * second on, so stamps are distinct). Tests usually set it to the connector context's time before a change.
     */
    public MutableClock clock() {
        return clock;
    }

    /** The declared resources, in declaration order. */
    public synchronized List<Resource> resources() {
        return resources.values().stream().map(s -> s.declared).toList();
    }

    /** Copies of the records of a resource, in list order. */
    public synchronized List<Map<String, Object>> records(String path) {
        return state(path).records.values().stream().map(ScriptedProvider::copy).toList();
    }

    public synchronized Optional<Map<String, Object>> record(String path, String id) {
        return Optional.ofNullable(state(path).records.get(id)).map(ScriptedProvider::copy);
    }

    /** Adds a record, or replaces the one with its id in place, exactly as given (nothing stamped). */
    public synchronized void put(String path, Map<String, ?> record) {
        State state = state(path);
        Map<String, Object> copy = copy(record);
        state.records.put(idOf(state.declared, copy), copy);
    }

    /**
     * Changes a record as a provider does: applies {@code edit} to a copy, stamps the resource's updated field with
     * the {@link #clock()} and increments its version field. Returns the new record.
     */
    public synchronized Map<String, Object> change(String path, String id, Consumer<Map<String, Object>> edit) {
        State state = state(path);
        Map<String, Object> current = state.records.get(id);
        if (current == null) {
            throw new IllegalArgumentException("no record " + id + " in " + path);
        }
        Map<String, Object> changed = copy(current);
        edit.accept(changed);
        stamp(state.declared, changed, current);
        if (!idOf(state.declared, changed).equals(id)) {
            throw new IllegalArgumentException("a change must keep the record's id " + id);
        }
        state.records.put(id, changed);
        return copy(changed);
    }

    /** Adds {@code count} records made by the resource's template, stamped like a change. Returns them. */
    public synchronized List<Map<String, Object>> add(String path, int count) {
        State state = state(path);
        if (state.declared.template == null) {
            throw new IllegalStateException("resource " + path + " has no template(...) to make records with");
        }
        List<Map<String, Object>> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> record = copy(state.declared.template.apply(++state.made));
            stamp(state.declared, record, null);
            String id = idOf(state.declared, record);
            if (state.records.containsKey(id)) {
                throw new IllegalStateException("the template of " + path + " made id " + id + " twice");
            }
            state.records.put(id, record);
            added.add(copy(record));
        }
        return added;
    }

    /** A record {@link #changeOne()} changed or added. */
    public record Changed(Resource resource, String id) {
    }

    /**
     * Changes one record as a provider would between two syncs: in the first resource with a {@link Resource#kind}
     * and an {@link Resource#updatedAfter updated-after filter} (else the first with a kind), the first record is
     * changed by its {@link Resource#changeBy edit}, or, without one, a record is added by its template.
     */
    public synchronized Changed changeOne() {
        State state = resources.values().stream()
                .filter(s -> s.declared.kind != null && s.declared.updatedAfterParam != null).findFirst()
                .or(() -> resources.values().stream().filter(s -> s.declared.kind != null).findFirst())
                .orElseThrow(() -> new IllegalStateException("no resource declares a kind(...) to change"));
        Resource r = state.declared;
        if (r.change != null && !state.records.isEmpty()) {
            String id = state.records.keySet().iterator().next();
            change(r.path, id, r.change);
            return new Changed(r, id);
        }
        if (r.template == null) {
            throw new IllegalStateException("resource " + r.path + " has neither changeBy(...) nor template(...)");
        }
        return new Changed(r, idOf(r, add(r.path, 1).get(0)));
    }

    private void stamp(Resource r, Map<String, Object> record, Map<String, Object> previous) {
        if (r.updatedField != null) {
            record.put(r.updatedField, clock.instant().toString());
            clock.advance(Duration.ofSeconds(1));
        }
        if (r.versionField != null) {
            Object old = previous == null ? record.get(r.versionField) : previous.get(r.versionField);
            long version = old instanceof Number n ? n.longValue() + (previous == null ? 0 : 1) : 1;
            record.put(r.versionField, version);
        }
    }

    // ---------------------------------------------------------------- behaviours

    /** The next {@code count} requests (whatever they ask) are answered {@code status} with a JSON error body. */
    public synchronized void failNext(int count, int status) {
        script(count, new Behaviour(Behaviour.Kind.FAIL, status, null));
    }

    /** As {@link #failNext(int, int)}, with a {@code Retry-After: <seconds>} header (e.g. on 429 or 503). */
    public synchronized void failNext(int count, int status, Duration retryAfter) {
        script(count, new Behaviour(Behaviour.Kind.FAIL, status, requireNonNull(retryAfter, "retryAfter is null")));
    }

    /** Every following request is answered {@code status} until {@link #reset()}. */
    public synchronized void failAlways(int status) {
        this.always = new Behaviour(Behaviour.Kind.FAIL, status, null);
    }

    /** The next {@code count} requests are answered {@code status} with an HTML page (a proxy's or a login page). */
    public synchronized void htmlNext(int count, int status) {
        script(count, new Behaviour(Behaviour.Kind.HTML, status, null));
    }

    /** The next {@code count} requests are answered 200, {@code application/json}, with a truncated JSON body. */
    public synchronized void malformedJsonNext(int count) {
        script(count, new Behaviour(Behaviour.Kind.MALFORMED_JSON, 200, null));
    }

    /** Every following answer waits this long first (zero: none), until {@link #reset()}. */
    public synchronized void delay(Duration perRequest) {
        this.delay = requireNonNull(perRequest, "perRequest is null");
    }

    /** Forgets scripted behaviours, the failure for all requests and the delay; keeps data and the log. */
    public synchronized void reset() {
        next.clear();
        always = null;
        delay = Duration.ZERO;
    }

    private void script(int count, Behaviour behaviour) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        if (behaviour.status() < 100 || behaviour.status() > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + behaviour.status());
        }
        for (int i = 0; i < count; i++) {
            next.addLast(behaviour);
        }
    }

    // ---------------------------------------------------------------- the request log

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(log);
    }

    /** The requests whose path is {@code path} (a list) or starts with {@code path + "/"} (one record). */
    public List<RecordedRequest> requests(String path) {
        return log.stream().filter(r -> r.path().equals(path) || r.path().startsWith(path + "/")).toList();
    }

    public void clearRequests() {
        log.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- serving

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            Behaviour behaviour;
            Duration wait;
            synchronized (this) {
                behaviour = next.isEmpty() ? always : next.pollFirst();
                wait = delay;
            }
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Answer answer = behaviour != null ? scripted(behaviour) : answer(exchange.getRequestMethod(), path, query,
                    headers);
            log.add(new RecordedRequest(exchange.getRequestMethod(), path, query, headers, body, answer.status(),
                    Instant.now()));
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        }
    }

    private record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
        static Answer json(int status, Object value) {
            try {
                return new Answer(status, "application/json", Map.of(), JSON.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a declared record is not JSON-serialisable", e);
            }
        }

        static Answer error(int status, String message) {
            return json(status, Map.of("error", message));
        }
    }

    private static Answer scripted(Behaviour b) {
        return switch (b.kind()) {
            case FAIL -> {
                Answer error = Answer.error(b.status(), "scripted failure");
                yield b.retryAfter() == null ? error : new Answer(error.status(), error.contentType(),
                        Map.of("Retry-After", Long.toString(b.retryAfter().toSeconds())), error.body());
            }
            case HTML -> new Answer(b.status(), "text/html; charset=utf-8", Map.of(),
                    "<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>We'll be back soon</h1>"
                            .concat("</body></html>").getBytes(StandardCharsets.UTF_8));
            case MALFORMED_JSON -> new Answer(200, "application/json", Map.of(),
                    "{\"data\": [{\"id\": \"x-1\", \"name\": \"trunc".getBytes(StandardCharsets.UTF_8));
        };
    }

    private synchronized Answer answer(String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers) {
        if (credentialHeader != null) {
            List<String> sent = headers.getOrDefault(credentialHeader.toLowerCase(Locale.ROOT), List.of());
            if (sent.size() != 1 || !sent.get(0).equals(credentialValue)) {
                return Answer.error(401, "missing or wrong " + credentialHeader);
            }
        }
        State list = resources.get(path);
        int slash = path.lastIndexOf('/');
        State parent = slash > 0 ? resources.get(path.substring(0, slash)) : null;
        if (list == null && parent == null) {
            return Answer.error(404, "no such resource");
        }
        if (!method.equals("GET")) {
            return Answer.error(405, "only GET");
        }
        if (list == null) {
            Map<String, Object> record = parent.records.get(URLDecoder.decode(path.substring(slash + 1),
                    StandardCharsets.UTF_8));
            return record == null ? Answer.error(404, "no such record") : Answer.json(200, record);
        }
        try {
            return page(list.declared, filter(list, query), query);
        } catch (BadRequest e) {
            return Answer.error(400, e.getMessage());
        }
    }

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static List<Map<String, Object>> filter(State state, Map<String, List<String>> query) throws BadRequest {
        Resource r = state.declared;
        List<Map<String, Object>> all = new ArrayList<>(state.records.values());
        String after = r.updatedAfterParam == null ? null : first(query, r.updatedAfterParam);
        if (after == null) {
            return all;
        }
        Instant since = instant(after);
        if (since == null) {
            throw new BadRequest(r.updatedAfterParam + " is not an ISO-8601 instant");
        }
        return all.stream().filter(record -> {
            Object value = record.get(r.updatedField);
            Instant updated = value == null ? null : instant(value.toString());
            return updated == null || updated.isAfter(since);
        }).toList();
    }

    private Answer page(Resource r, List<Map<String, Object>> matching, Map<String, List<String>> query)
            throws BadRequest {
        Map<String, Object> envelope = new LinkedHashMap<>();
        int n = matching.size();
        if (r.paging instanceof Paging.PageNumber p) {
            int size = size(r, query, p.sizeParam());
            int page = number(query, p.pageParam(), 1, 1);
            int from = (int) Math.min((long) (page - 1) * size, n);
            envelope.put(r.dataField, matching.subList(from, Math.min(from + size, n)));
            envelope.put(p.nextPageField(), from + size < n ? page + 1 : null);
        } else if (r.paging instanceof Paging.PageCount p) {
            int size = size(r, query, p.sizeParam());
            int page = number(query, p.pageParam(), 1, 1);
            int from = (int) Math.min((long) (page - 1) * size, n);
            envelope.put(r.dataField, matching.subList(from, Math.min(from + size, n)));
            putAt(envelope, p.totalPagesField(), Math.max(1, (n + size - 1) / size));
        } else if (r.paging instanceof Paging.Cursor c) {
            int size = size(r, query, c.sizeParam());
            int from = Math.min(decodeCursor(first(query, c.cursorParam())), n);
            envelope.put(r.dataField, matching.subList(from, Math.min(from + size, n)));
            envelope.put(c.nextCursorField(), from + size < n ? encodeCursor(from + size) : null);
        } else if (r.paging instanceof Paging.NextLink l) {
            int size = size(r, query, l.sizeParam());
            int from = Math.min(decodeCursor(first(query, Paging.NextLink.CURSOR_PARAM)), n);
            envelope.put(r.dataField, matching.subList(from, Math.min(from + size, n)));
            envelope.put(l.nextLinkField(), from + size < n ? nextLink(r, query, from + size) : null);
        } else if (r.paging instanceof Paging.Offset o) {
            int size = size(r, query, o.limitParam());
            int from = Math.min(number(query, o.offsetParam(), 0, 0), n);
            envelope.put(r.dataField, matching.subList(from, Math.min(from + size, n)));
            envelope.put(o.totalField(), n);
        } else {
            envelope.put(r.dataField, matching);
        }
        return Answer.json(200, envelope);
    }

    // A dotted field ("pagination.total_pages") nests maps, as the provider's envelope does.
    @SuppressWarnings("unchecked")
    private static void putAt(Map<String, Object> envelope, String dottedField, Object value) {
        String[] names = dottedField.split("\\.");
        Map<String, Object> at = envelope;
        for (int i = 0; i < names.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(names[i], k -> new LinkedHashMap<String, Object>());
        }
        at.put(names[names.length - 1], value);
    }

    private String nextLink(Resource r, Map<String, List<String>> query, int from) {
        Map<String, List<String>> next = new LinkedHashMap<>(query);
        next.put(Paging.NextLink.CURSOR_PARAM, List.of(encodeCursor(from)));
        return baseUrl() + r.path + "?" + next.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
    }

    private static int size(Resource r, Map<String, List<String>> query, String param) throws BadRequest {
        return Math.min(number(query, param, r.maxPageSize, 1), r.maxPageSize);
    }

    private static int number(Map<String, List<String>> query, String param, int absent, int min) throws BadRequest {
        String value = first(query, param);
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new BadRequest(param + " must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(param + " is not a number");
        }
    }

    // Opaque to clients, like a real provider's: "c" + base64 of the offset.
    private static String encodeCursor(int offset) {
        return "c" + Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(offset)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) throws BadRequest {
        if (cursor == null) {
            return 0;
        }
        try {
            if (!cursor.startsWith("c")) {
                throw new IllegalArgumentException();
            }
            return Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor.substring(1)),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("unknown cursor");
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private State state(String path) {
        State state = resources.get(path);
        if (state == null) {
            throw new IllegalArgumentException("no resource declared at " + path);
        }
        return state;
    }

    private static String idOf(Resource r, Map<String, Object> record) {
        Object id = record.get(r.idField);
        if (id == null) {
            throw new IllegalArgumentException("a record of " + r.path + " has no '" + r.idField + "'");
        }
        return id.toString();
    }

    // Deep, mutable copy through JSON, so callers never share nested maps with the provider.
    private static Map<String, Object> copy(Map<String, ?> record) {
        return JSON.convertValue(record, RECORD);
    }
}
