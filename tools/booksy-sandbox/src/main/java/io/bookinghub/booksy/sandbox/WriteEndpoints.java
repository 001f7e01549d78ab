package io.bookinghub.booksy.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.bookinghub.booksy.sandbox.SandboxRecords.Appointment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The assumed Booksy write API: {@code POST /api/v1/appointments} (book), {@code PATCH /api/v1/appointments/{id}}
 * (move), {@code POST /api/v1/appointments/{id}/cancel}. Writes honour an {@code Idempotency-Key} header (the same
 * key and request answer the first answer again; the same key with another request is a 422), {@code If-Match}
 * with the appointment's version (412 when it moved on), and refuse double bookings with 409
 * {@code slot_unavailable}. The key is checked and the answer stored under the store's lock together with the
 * change, so concurrent requests with one key change the calendar once.
 */
final class WriteEndpoints {
    /** Header that carries the idempotency key. */
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final ObjectMapper mapper;
    private final SandboxStore store;
    private final JsonViews views;
    private final BiFunction<String, ObjectNode, ObjectNode> emit;
    private final Map<String, Stored> answers = new ConcurrentHashMap<>();
    private final AtomicLong committed = new AtomicLong();

    /** A write's first answer, kept for its idempotency key. */
    private record Stored(String fingerprint, int status, byte[] body) {
    }

    private record Answer(int status, byte[] body) {
    }

    WriteEndpoints(ObjectMapper mapper, SandboxStore store, JsonViews views,
            BiFunction<String, ObjectNode, ObjectNode> emit) {
        this.mapper = mapper;
        this.store = store;
        this.views = views;
        this.emit = emit;
    }

    /** Writes that changed the calendar (replays of a stored answer not counted). */
    long committed() {
        return committed.get();
    }

    /**
     * Handles a non-GET API request for {@code resource} (the path after /api/v1/). {@code fault} is a
     * LOSE_ANSWER or SLOW_ANSWER fault taken for this request, or null.
     */
    void handle(HttpExchange ex, String resource, Faults.Fault fault) throws IOException, InterruptedException {
        String method = ex.getRequestMethod();
        String[] parts = resource.split("/", -1);
        String body = Exchanges.readBody(ex);
        JsonNode json;
        try {
            json = body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            Exchanges.apiError(ex, mapper, 400, "invalid_request", "the body must be a JSON object");
            return;
        }
        JsonNode request = json;
        Long ifMatch;
        try {
            ifMatch = version(ex.getRequestHeaders().getFirst("If-Match"));
        } catch (NumberFormatException e) {
            Exchanges.apiError(ex, mapper, 400, "invalid_request", "If-Match must be an appointment version");
            return;
        }
        Write write;
        if ("POST".equals(method) && parts.length == 1 && parts[0].equals("appointments")) {
            write = () -> created(book(request));
        } else if ("PATCH".equals(method) && parts.length == 2 && parts[0].equals("appointments")) {
            int id = BooksySandbox.parseId(Exchanges.decode(parts[1]), "a-");
            write = () -> updated("appointment.updated", store.move(id, instant(request, "start"),
                    optionalId(request, "staff_id", "s-"), ifMatch));
        } else if ("POST".equals(method) && parts.length == 3 && parts[0].equals("appointments")
                && parts[2].equals("cancel")) {
            int id = BooksySandbox.parseId(Exchanges.decode(parts[1]), "a-");
            boolean byClient = "client".equals(request.path("cancelled_by").asText("business"));
            String reason = request.path("reason").isTextual() ? request.path("reason").asText() : null;
            write = () -> updated("appointment.cancelled", store.cancel(id, byClient, reason, ifMatch));
        } else {
            Exchanges.apiError(ex, mapper, 405, "method_not_allowed", method + " is not supported here");
            return;
        }
        String key = ex.getRequestHeaders().getFirst(IDEMPOTENCY_HEADER);
        String fingerprint = fingerprint(method, resource, body, ifMatch);
        Answer answer;
        synchronized (store) {
            Stored earlier = key == null ? null : answers.get(key);
            if (earlier != null) {
                answer = earlier.fingerprint().equals(fingerprint) ? new Answer(earlier.status(), earlier.body())
                        : error(422, "idempotency_key_reused", "the Idempotency-Key was used for another request");
            } else {
                answer = run(write);
                if (key != null) {
                    answers.put(key, new Stored(fingerprint, answer.status(), answer.body()));
                }
            }
        }
        if (fault != null && fault.kind() == Faults.Kind.LOSE_ANSWER) {
            // Committed, but the caller never hears of it: the connection closes without a status line.
            ex.close();
            return;
        }
        if (fault != null && fault.kind() == Faults.Kind.SLOW_ANSWER) {
            Thread.sleep(fault.delay().toMillis());
        }
        Exchanges.send(ex, answer.status(), Exchanges.JSON, answer.body());
    }

    @FunctionalInterface
    private interface Write {
        Answer apply() throws IOException;
    }

    private Answer run(Write write) throws IOException {
        try {
            return write.apply();
        } catch (SandboxStore.Refusal refusal) {
            return error(refusal.status, refusal.code, refusal.getMessage());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return error(400, "invalid_request", e.getMessage());
        }
    }

    private Appointment book(JsonNode request) {
        Integer service = optionalId(request, "service_id", "svc-");
        if (service == null) {
            throw new IllegalArgumentException("service_id is required");
        }
        Integer client = optionalId(request, "client_id", "c-");
        SandboxStore.NewClient named = null;
        if (client == null) {
            JsonNode c = request.path("client");
            String first = c.path("first_name").asText("");
            if (first.isBlank() || (c.path("email").asText("").isBlank() && c.path("phone").asText("").isBlank())) {
                throw new IllegalArgumentException("client_id, or client with first_name and email or phone, "
                        + "is required");
            }
            named = new SandboxStore.NewClient(first, c.path("last_name").asText(""), text(c, "email"),
                    text(c, "phone"));
        }
        return store.book(service, optionalId(request, "variant_id", "var-"), optionalId(request, "staff_id", "s-"),
                instant(request, "start"), client, named, text(request, "client_note"),
                text(request, "external_reference"));
    }

    private Answer created(Appointment a) throws IOException {
        committed.incrementAndGet();
        return new Answer(201, mapper.writeValueAsBytes(emit.apply("appointment.created", views.appointment(a))));
    }

    private Answer updated(String event, Appointment a) throws IOException {
        committed.incrementAndGet();
        return new Answer(200, mapper.writeValueAsBytes(emit.apply(event, views.appointment(a))));
    }

    private Answer error(int status, String code, String message) throws IOException {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("code", code);
        err.put("message", message);
        return new Answer(status, mapper.writeValueAsBytes(root));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }

    private static Integer optionalId(JsonNode node, String field, String prefix) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        int id = BooksySandbox.parseId(text, prefix);
        if (id < 0) {
            throw new IllegalArgumentException(field + " must look like " + prefix + "1");
        }
        return id;
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            throw new IllegalArgumentException(field + " is required (ISO-8601 with an offset)");
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    private static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        return Long.parseLong(v.replace("\"", ""));
    }

    private static String fingerprint(String method, String resource, String body, Long ifMatch) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + resource + " " + ifMatch + "\n" + body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Duration checkDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return delay;
    }
}
