package io.bookinghub.spi.webhook;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An inbound webhook exactly as received: the raw body bytes (signatures are computed over these;
 * never re-serialise before verifying) and the headers, looked up case-insensitively.
 */
public final class WebhookRequest {
    private final byte[] body;
    private final Map<String, List<String>> headers;

    public WebhookRequest(byte[] body, Map<String, List<String>> headers) {
        this.body = requireNonNull(body, "body is null").clone();
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        requireNonNull(headers, "headers is null").forEach((k, v) -> copy.merge(k.toLowerCase(Locale.ROOT),
                List.copyOf(v), (a, b) -> {
                    var merged = new ArrayList<>(a);
                    merged.addAll(b);
                    return List.copyOf(merged);
                }));
        this.headers = Collections.unmodifiableMap(copy);
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

    /** The header's value if it occurs exactly once; a repeated header is treated as ambiguous. */
    public Optional<String> singleHeader(String name) {
        List<String> values = headerValues(name);
        return values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
    }
}
