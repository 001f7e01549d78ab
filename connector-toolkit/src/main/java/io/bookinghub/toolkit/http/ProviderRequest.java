package io.bookinghub.toolkit.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request to a provider, relative to the client's base URL. Immutable; the {@code with}-style methods return
 * copies: {@code ProviderRequest.get("/bookings").list().query("page", "2")}.
 *
 * @param method     HTTP method
 * @param path       path below the base URL, starting with {@code /}; audited as it is, so it must not carry
 *                   secrets (put them in headers)
 * @param query      query parameters in order; a null value is left out
 * @param headers    extra headers (the credential comes from the client's {@link RequestAuth})
 * @param body       the body, empty for none
 * @param idempotent whether a failed attempt may be sent again (see {@link RetryPolicy})
 * @param listEndpoint whether the path names a list rather than one record: a 404 then means the list endpoint itself
 *                   is missing (a wrong base URL or account), never "no records", and maps to PROVIDER_ERROR
 */
public record ProviderRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
        byte[] body, boolean idempotent, boolean listEndpoint) {
    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    public ProviderRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        query = Collections.unmodifiableMap(copy(query));
        headers = Collections.unmodifiableMap(copy(headers));
        body = body == null ? new byte[0] : body.clone();
    }

    private static Map<String, String> copy(Map<String, String> map) {
        Map<String, String> out = new LinkedHashMap<>();
        requireNonNull(map, "map is null").forEach((k, v) -> {
            if (v != null) {
                out.put(requireNonNull(k, "name is null"), v);
            }
        });
        return out;
    }

    /** A request with no query, headers or body, idempotent by its method (GET, HEAD, PUT, DELETE, OPTIONS). */
    public static ProviderRequest of(String method, String path) {
        String m = requireNonNull(method, "method is null").toUpperCase(Locale.ROOT);
        return new ProviderRequest(m, path, Map.of(), Map.of(), null, IDEMPOTENT_METHODS.contains(m), false);
    }

    public static ProviderRequest get(String path) {
        return of("GET", path);
    }

    public static ProviderRequest post(String path) {
        return of("POST", path);
    }

    /** Adds a query parameter (kept in order; a null value is left out). */
    public ProviderRequest query(String name, String value) {
        Map<String, String> q = new LinkedHashMap<>(query);
        if (value != null) {
            q.put(requireNonNull(name, "name is null"), value);
        }
        return new ProviderRequest(method, path, q, headers, body, idempotent, listEndpoint);
    }

    /** Adds query parameters in the map's iteration order. */
    public ProviderRequest query(Map<String, String> parameters) {
        ProviderRequest out = this;
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            out = out.query(p.getKey(), p.getValue());
        }
        return out;
    }

    public ProviderRequest header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return new ProviderRequest(method, path, query, h, body, idempotent, listEndpoint);
    }

    /** A JSON body ({@code Content-Type: application/json}). */
    public ProviderRequest json(JsonNode json) {
        return header("Content-Type", "application/json").body(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    public ProviderRequest body(byte[] bytes) {
        return new ProviderRequest(method, path, query, headers, bytes, idempotent, listEndpoint);
    }

    /**
     * Sends {@code key} in {@code header} and makes the request retryable: the provider promises to apply a request
     * with the same key once, so sending it again after a timeout cannot book twice.
     */
    public ProviderRequest idempotencyKey(String header, String key) {
        return header(header, key).idempotent(true);
    }

    /** Overrides whether the request may be sent again after a failure. */
    public ProviderRequest idempotent(boolean retryable) {
        return new ProviderRequest(method, path, query, headers, body, retryable, listEndpoint);
    }

    /** Marks the path as a list endpoint (see {@link #listEndpoint}). */
    public ProviderRequest list() {
        return new ProviderRequest(method, path, query, headers, body, idempotent, true);
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Method and path only: headers and query may carry credentials. */
    @Override
    public String toString() {
        return "ProviderRequest[" + method + " " + path + "]";
    }
}
