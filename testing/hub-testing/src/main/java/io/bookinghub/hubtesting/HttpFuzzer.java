package io.bookinghub.hubtesting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends seeded random hostile requests over raw sockets to every admin and webhook route of a running hub and
 * checks each answer: never a 5xx, and every error a JSON body of the documented shape
 * ({@code {code, error, message, fields}}); successes are JSON too (the OAuth browser pages may be HTML, and an
 * {@code OPTIONS} answer is Jersey's list of allowed methods).
 * Request {@code i} of seed {@code s} is always the same, whichever thread sends it, so a failure is replayed
 * from the seed and its index.
 */
public final class HttpFuzzer {
    /** A route as Jersey declares it, with {@code {name}} placeholders. */
    public record Route(String method, String template) {
        public Route {
            requireNonNull(method, "method is null");
            requireNonNull(template, "template is null");
        }
    }

    /** One answer that broke the rule: which request, what came back, and why it is wrong. */
    public record Failure(int index, String request, int status, String reason, String body) {
        @Override
        public String toString() {
            return "#" + index + " " + request + " -> " + status + ": " + reason + " | " + body;
        }
    }

    /** What a run saw. */
    public record Report(long seed, int sent, Map<Integer, Integer> statuses, List<Failure> failures) {
        public String summary() {
            return "seed " + seed + ": " + sent + " requests, statuses " + statuses + ", " + failures.size()
                    + " failure(s)";
        }
    }

    /** Every admin and webhook route of the hub; hub-core's fuzz test checks it against Jersey's model. */
    public static final List<Route> ROUTES = List.of(
            new Route("GET", "/admin/connectors"),
            new Route("GET", "/admin/connectors/{connectorId}"),
            new Route("GET", "/admin/connectors/{connectorId}/settings"),
            new Route("PUT", "/admin/connectors/{connectorId}/settings"),
            new Route("GET", "/admin/connectors/{connectorId}/settings/events"),
            new Route("POST", "/admin/businesses"),
            new Route("GET", "/admin/businesses"),
            new Route("GET", "/admin/businesses/{businessId}"),
            new Route("GET", "/admin/businesses/{businessId}/appointments"),
            new Route("GET", "/admin/businesses/{businessId}/appointments/{appointmentId}"),
            new Route("GET", "/admin/businesses/{businessId}/services"),
            new Route("GET", "/admin/businesses/{businessId}/staff"),
            new Route("GET", "/admin/businesses/{businessId}/clients"),
            new Route("GET", "/admin/businesses/{businessId}/locations"),
            new Route("GET", "/admin/businesses/{businessId}/availability"),
            new Route("GET", "/admin/businesses/{businessId}/record-counts"),
            new Route("GET", "/admin/businesses/{businessId}/connections"),
            new Route("GET", "/admin/businesses/{businessId}/connections/{connectorId}"),
            new Route("PUT", "/admin/businesses/{businessId}/connections/{connectorId}"),
            new Route("PATCH", "/admin/businesses/{businessId}/connections/{connectorId}"),
            new Route("DELETE", "/admin/businesses/{businessId}/connections/{connectorId}"),
            new Route("PUT", "/admin/businesses/{businessId}/connections/{connectorId}/overrides"),
            new Route("GET", "/admin/businesses/{businessId}/connections/{connectorId}/api-calls"),
            new Route("GET", "/admin/businesses/{businessId}/connections/{connectorId}/effective-config"),
            new Route("GET", "/admin/businesses/{businessId}/connections/{connectorId}/events"),
            new Route("POST", "/admin/businesses/{businessId}/connections/{connectorId}/imports"),
            new Route("POST", "/admin/businesses/{businessId}/connections/{connectorId}/sync"),
            new Route("GET", "/admin/businesses/{businessId}/connections/{connectorId}/sync-runs"),
            new Route("GET", "/admin/businesses/{businessId}/connections/{connectorId}/sync-runs/{runId}"),
            new Route("POST", "/admin/businesses/{businessId}/connections/{connectorId}/sync-runs/{runId}/cancel"),
            new Route("POST", "/admin/businesses/{businessId}/connections/{connectorId}/oauth/link"),
            new Route("GET", "/admin/businesses/{businessId}/webhook-events"),
            new Route("GET", "/admin/businesses/{businessId}/commands"),
            new Route("GET", "/admin/businesses/{businessId}/commands/{commandId}"),
            new Route("POST", "/admin/api-keys"),
            new Route("GET", "/admin/api-keys"),
            new Route("DELETE", "/admin/api-keys/{keyId}"),
            new Route("GET", "/admin/webhooks/events"),
            new Route("GET", "/admin/webhooks/stats"),
            new Route("POST", "/admin/webhooks/{id}/reprocess"),
            new Route("GET", "/connectors/{connectorId}/oauth/start"),
            new Route("GET", "/connectors/{connectorId}/oauth/connect"),
            new Route("HEAD", "/connectors/{connectorId}/oauth/connect"),
            new Route("GET", "/connectors/{connectorId}/oauth/callback"),
            new Route("POST", "/connectors/{connectorId}/webhook"),
            new Route("POST", "/connectors/{connectorId}/webhook/{connectionId}"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern ERROR_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final String TEN_KB = "a".repeat(10 * 1024);
    private static final int TIMEOUT_MS = 30_000;

    private static final String[] PATH_JUNK = {"%00", "%0d%0a", "%0A", "%ed%a0%80", "%F0%9F%98%80", TEN_KB, "..",
        "%2e%2e", "%2F", "x;y=1", "99999999999999999999", "-1", "0", "null", "%25", "%", "%zz", "%C0%AF",
        "a%20b", "%E2%80%AE", "%FF"};
    private static final String[] QUERY_NAMES = {"limit", "offset", "kind", "dryRun", "wait", "connector",
        "status", "from", "to", "includeRaw", "includeDeleted", "business", "logLimit", "logCursor", "cursor", "format",
        "link", "code", "state", "error", "error_description", "access_token"};
    private static final String[] QUERY_VALUES = {"abc", "99999999999999999999", "-1", "0", "1", "100", "true",
        "false", "yes", "on", "%00", "%0d%0aX-Injected:%201", "%0a", "%ed%a0%80", "%uD800", TEN_KB,
        "2026-01-01T00:00:00Z", "2026-13-45", "appointments", "clients", "services", "invoices", "json", "",
        "PENDING", "DONE", "bogus", "%FF", "1e9", "NaN", "%22%27%3C"};
    private static final String[] JSON_VALUES = {"\"ok\"", "42", "-1", "true", "null", "[]", "{}", "\"\\u0000\"",
        "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\r\\nb\"", "1e999", "-1e999", "1.5",
        "99999999999999999999999999", "\"" + TEN_KB + "\"", "\"PT99999999999999H\"", "\"P1000000000D\"",
        "\"PT15M\"", "\"Europe/Warsaw\"", "\"+01:00\"", "\"FULL\"", "\"full\"", "\"INCREMENTAL\"",
        "\"hub-admin\"", "\"business-admin\"", "[1,2,3]", "{\"a\":{\"b\":[null]}}", "\"\"", "\" \"",
        "\"\\ud83d\\ude00\"", "0.0000001", "\"" + UUID.nameUUIDFromBytes(new byte[] {1}) + "\""};
    private static final String[] BODY_KEYS = {"name", "timeZone", "config", "syncInterval", "mode", "role",
        "businessId", "overrides", "settings", "greeting", "apiKey", "id", "type", "account", "data",
        "expiresAt", "\\u0000", "\\ud800"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json",
        "text/plain", ";;;", "application/json; charset=foo", "multipart/form-data", "application/x-www-form-urlencoded",
        "text/csv", "application/json;;", "*/*", "application/"};
    private static final String[] ACCEPTS = {"application/json", "application/json", "application/json",
        "application/xml", "garbage", "application/json;q=0", "text/plain", "image/*;q=x"};
    private static final String[] OTHER_METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
        "TRACE", "FOO"};

    private final String host;
    private final int port;
    private final String adminToken;
    private final Map<String, List<String>> knownValues;
    private final List<Route> routes;

    /**
     * @param knownValues real values for placeholders ({@code businessId}, {@code connectorId}, ...), so that
     *                    requests also reach past the 404s; junk is mixed in either way
     */
    public HttpFuzzer(String host, int port, String adminToken, Map<String, List<String>> knownValues,
            List<Route> routes) {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.adminToken = requireNonNull(adminToken, "adminToken is null");
        this.knownValues = Map.copyOf(knownValues);
        this.routes = List.copyOf(routes);
    }

    /** Sends {@code count} requests over {@code connections} concurrent connections and checks every answer. */
    public Report run(long seed, int count, int connections) throws InterruptedException {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < connections; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        Request request = request(seed, i);
                        Failure failure = send(i, request, statuses);
                        if (failure != null) {
                            failures.add(failure);
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("fuzz worker failed (seed " + seed + ")", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.get()));
        List<Failure> sorted = new ArrayList<>(failures);
        sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new Report(seed, count, counts, sorted);
    }

    /** A request as bytes plus what the checker needs to know about it. */
    record Request(String method, String target, byte[] bytes, boolean htmlAllowed) {
        String describe() {
            String t = target.length() > 160 ? target.substring(0, 160) + "...(" + target.length() + " chars)" : target;
            return method + " " + t;
        }
    }

    /** Request {@code index} of {@code seed}: independent of any other request, so replayable alone. */
    Request request(long seed, int index) {
        Random r = new Random(seed * 1_000_003L + index);
        Route route = routes.get(r.nextInt(routes.size()));
        String method = r.nextInt(10) == 0 ? pick(r, OTHER_METHODS) : route.method();
        StringBuilder target = new StringBuilder(path(r, route.template()));
        int params = r.nextInt(4) == 0 ? 0 : r.nextInt(4);
        for (int p = 0; p < params; p++) {
            target.append(p == 0 ? '?' : '&');
            String name = r.nextInt(20) == 0 ? pick(r, QUERY_VALUES) : pick(r, QUERY_NAMES);
            if ("access_token".equals(name) && r.nextBoolean()) {
                name = "limit";
            }
            target.append(name).append('=').append(queryValue(r, name));
        }
        if (r.nextInt(50) == 0) {
            target.append(r.nextBoolean() ? "#frag" : "?" + TEN_KB);
        }
        String accept = r.nextInt(4) == 0 ? pick(r, ACCEPTS) : "application/json";
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        head.append("Connection: close\r\n");
        if (r.nextInt(20) != 0) {
            head.append("Accept: ").append(accept).append("\r\n");
        }
        switch (r.nextInt(10)) {
            case 0 -> { }
            case 1 -> head.append("Authorization: Bearer bh_not-a-key-").append(r.nextInt(1000)).append("\r\n");
            case 2 -> head.append("Authorization: ").append(pick(r, new String[] {"Basic eDp5", "Bearer",
                    "Bearer " + TEN_KB, "bearer " + adminToken, "Bearer  " + adminToken})).append("\r\n");
            default -> head.append("Authorization: Bearer ").append(adminToken).append("\r\n");
        }
        if (r.nextInt(60) == 0) {
            head.append("X-Large: ").append("h".repeat(20 * 1024)).append("\r\n");
        }
        if (r.nextInt(30) == 0) {
            head.append("Webhook-Signature: t=1,v1=").append("0".repeat(64)).append("\r\n");
            head.append("Webhook-Signature: t=2,v1=").append("1".repeat(64)).append("\r\n");
        }
        byte[] body = "GET".equals(method) || "HEAD".equals(method) || r.nextInt(15) == 0 ? new byte[0]
                : body(r, route.template());
        if (body.length > 0 || r.nextInt(3) == 0) {
            head.append("Content-Type: ").append(pick(r, CONTENT_TYPES)).append("\r\n");
        }
        int declared = r.nextInt(80) == 0 ? body.length + 10 : body.length;
        boolean sendLength = body.length > 0 || !"GET".equals(method);
        if (sendLength) {
            head.append("Content-Length: ").append(declared).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(body);
        boolean oauthPage = route.template().contains("/oauth/") && !route.template().startsWith("/admin/");
        return new Request(method, target.toString(), bytes.toByteArray(), oauthPage);
    }

    private String path(Random r, String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> known = knownValues.getOrDefault(m.group(1), List.of());
            String value;
            int roll = r.nextInt(10);
            if (roll < 7 && !known.isEmpty()) {
                value = known.get(r.nextInt(known.size()));
            } else if (roll < 8) {
                value = UUID.randomUUID().toString();
            } else {
                value = pick(r, PATH_JUNK);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String path = out.toString();
        return switch (r.nextInt(40)) {
            case 0 -> path + "/";
            case 1 -> path + "//x";
            case 2 -> path + "/%00";
            case 3 -> "/admin/../" + path.substring(1);
            case 4 -> path.replace("/admin/", "/admin;x=1/");
            case 5 -> path + "/unknown-route";
            default -> path;
        };
    }

    private static String queryValue(Random r, String name) {
        if ("access_token".equals(name)) {
            return "bh_whatever";
        }
        return pick(r, QUERY_VALUES);
    }

    private static byte[] body(Random r, String template) {
        int roll = r.nextInt(20);
        if (roll == 0) {
            byte[] random = new byte[r.nextInt(200)];
            r.nextBytes(random);
            return random;
        }
        if (roll == 1) {
            return ("[".repeat(2000) + "]".repeat(2000)).getBytes(StandardCharsets.UTF_8);
        }
        if (roll == 2) {
            return "appointment id,date\nA-1,2026-01-01\n\u0000,x\n".getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder json = new StringBuilder("{");
        int keys = r.nextInt(5);
        for (int k = 0; k < keys; k++) {
            if (k > 0) {
                json.append(',');
            }
            String key = pick(r, BODY_KEYS);
            json.append('"').append(key).append("\":");
            if (("config".equals(key) || "overrides".equals(key) || "settings".equals(key)) && r.nextBoolean()) {
                json.append("{\"").append(pick(r, BODY_KEYS)).append("\":").append(pick(r, JSON_VALUES));
                if (r.nextBoolean()) {
                    json.append(",\"").append(pick(r, BODY_KEYS)).append("\":").append(pick(r, JSON_VALUES));
                }
                json.append('}');
            } else {
                json.append(pick(r, JSON_VALUES));
            }
            if (r.nextInt(8) == 0) {
                // The same key again: must be refused, not "last one wins".
                json.append(",\"").append(key).append("\":").append(pick(r, JSON_VALUES));
            }
        }
        json.append('}');
        String text = json.toString();
        int shape = r.nextInt(12);
        if (shape == 0 && text.length() > 2) {
            text = text.substring(0, 1 + r.nextInt(text.length() - 1));
        } else if (shape == 1) {
            text = text + " trailing";
        } else if (shape == 2) {
            text = pick(r, JSON_VALUES);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    /**
     * Sends one raw HTTP/1.1 request (it should say {@code Connection: close}) and reads the answer to the end.
     *
     * @throws IOException when nothing parseable came back
     */
    public static Answer exchange(String host, int port, byte[] request) throws IOException {
        byte[] raw;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer (431, 413) and close before the whole request was written.
            }
            raw = readAll(socket.getInputStream());
        }
        try {
            return Answer.parse(raw);
        } catch (RuntimeException e) {
            throw new IOException("unparseable answer (" + e.getMessage() + "): "
                    + excerpt(new String(raw, StandardCharsets.ISO_8859_1)), e);
        }
    }

    private Failure send(int index, Request request, Map<Integer, AtomicInteger> statuses) {
        Answer answer;
        try {
            answer = exchange(host, port, request.bytes());
        } catch (IOException e) {
            return new Failure(index, request.describe(), -1, "no answer: " + e.getMessage(), "");
        }
        statuses.computeIfAbsent(answer.status(), k -> new AtomicInteger()).incrementAndGet();
        String problem = problem(answer, request.method(), request.htmlAllowed());
        return problem == null ? null : new Failure(index, request.describe(), answer.status(), problem,
                excerpt(new String(answer.body(), StandardCharsets.UTF_8)));
    }

    /**
     * Why the answer breaks the rule, or null: no 5xx; an error is a JSON object {@code {code, error, message,
     * fields}} whose code is the status; a success with a body is JSON (or HTML where {@code htmlAllowed}).
     */
    public static String problem(Answer answer, String method, boolean htmlAllowed) {
        int status = answer.status();
        if (status >= 500) {
            return "a 5xx for a request the hub should refuse or answer";
        }
        if ("OPTIONS".equals(method) && status < 300) {
            // HTTP's own answer about the route (the Allow header), not a resource of the API.
            return null;
        }
        boolean noBody = "HEAD".equals(method) || status == 204 || status == 304
                || (status >= 300 && status < 400) || (status >= 100 && status < 200);
        if (noBody || (status < 400 && answer.body().length == 0)) {
            return null;
        }
        String type = answer.header("content-type").toLowerCase(Locale.ROOT);
        if (htmlAllowed && type.startsWith("text/html")) {
            return null;
        }
        if (!type.contains("json")) {
            return "Content-Type '" + type + "' is not JSON";
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            return "body is not JSON";
        }
        if (status < 400) {
            return body == null || body.isMissingNode() ? "empty JSON body" : null;
        }
        if (body == null || !body.isObject()) {
            return "error body is not a JSON object";
        }
        if (!body.path("code").isInt() || body.get("code").asInt() != status) {
            return "error body's code does not match the status";
        }
        if (!body.path("error").isTextual() || !ERROR_NAME.matcher(body.get("error").asText()).matches()) {
            return "error body has no upper-case error name";
        }
        if (!body.path("message").isTextual()) {
            return "error body has no message";
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("code", "error", "message", "fields").contains(name)) {
                return "error body has an undocumented member '" + name + "'";
            }
        }
        if (body.has("fields")) {
            if (!body.get("fields").isArray()) {
                return "fields is not an array";
            }
            for (JsonNode field : body.get("fields")) {
                if (!field.path("field").isTextual() || !field.path("message").isTextual()) {
                    return "a field entry lacks field or message";
                }
            }
        }
        return null;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String excerpt(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** A parsed HTTP/1.1 answer (header names in lower case, chunked bodies decoded). */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        static Answer parse(byte[] raw) {
            int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
            if (end < 0) {
                throw new IllegalArgumentException("no end of headers in " + raw.length + " bytes");
            }
            String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IllegalArgumentException("bad status line " + lines[0]);
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
            if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                body = dechunk(body);
            }
            return new Answer(status, headers, body);
        }

        private static byte[] dechunk(byte[] data) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pos = 0;
            while (pos < data.length) {
                int lineEnd = indexOf(data, new byte[] {'\r', '\n'}, pos);
                if (lineEnd < 0) {
                    break;
                }
                String sizeText = new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0]
                        .trim();
                int size = Integer.parseInt(sizeText, 16);
                if (size == 0) {
                    break;
                }
                out.write(data, lineEnd + 2, Math.min(size, data.length - lineEnd - 2));
                pos = lineEnd + 2 + size + 2;
            }
            return out.toByteArray();
        }

        private static int indexOf(byte[] data, byte[] needle, int from) {
            outer:
            for (int i = from; i <= data.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (data[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
