package io.bookinghub.spi.webhook;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An inbound webhook exactly as received: the raw body bytes (signatures are computed over these;
 * never re-serialise before verifying), the headers, looked up case-insensitively, and the request's path
 * and query parameters (for providers that sign the URL or name the account in it).
 */
public final class WebhookRequest {
    private final byte[] body;
    private final Map<String, List<String>> headers;
    private final String path;
    private final Map<String, List<String>> queryParameters;

    /** A request with no path or query known (tests, and callers from before SPI 2.0.0). */
    public WebhookRequest(byte[] body, Map<String, List<String>> headers) {
        this(body, headers, "", Map.of());
    }

    /**
     * @param path            the request path as received, e.g. {@code /connectors/acme/webhook}; empty if unknown
     * @param queryParameters decoded query parameters, names case-sensitive, each with its values in order
     * @since SPI 2.0.0
     */
    public WebhookRequest(byte[] body, Map<String, List<String>> headers, String path,
            Map<String, List<String>> queryParameters) {
        this.body = requireNonNull(body, "body is null").clone();
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        requireNonNull(headers, "headers is null").forEach((k, v) -> copy.merge(k.toLowerCase(Locale.ROOT),
                List.copyOf(v), (a, b) -> {
                    var merged = new ArrayList<>(a);
                    merged.addAll(b);
                    return List.copyOf(merged);
                }));
        this.headers = Collections.unmodifiableMap(copy);
        this.path = requireNonNull(path, "path is null");
        Map<String, List<String>> query = new LinkedHashMap<>();
        requireNonNull(queryParameters, "queryParameters is null").forEach((k, v) -> query.put(k, List.copyOf(v)));
        this.queryParameters = Collections.unmodifiableMap(query);
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** All values of a header (empty if absent). */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The request path as received, or empty when unknown. */
    public String path() {
        return path;
    }

    /** The decoded query parameters, in request order. */
    public Map<String, List<String>> queryParameters() {
        return queryParameters;
    }

    /** The query parameter's value if it occurs exactly once; a repeated one is treated as ambiguous. */
    public Optional<String> singleQueryParameter(String name) {
        List<String> values = queryParameters.getOrDefault(name, List.of());
        return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
    }

    /** The header's value if it occurs exactly once; a repeated header is treated as ambiguous. */
    public Optional<String> singleHeader(String name) {
        List<String> values = headerValues(name);
        return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
    }
}
