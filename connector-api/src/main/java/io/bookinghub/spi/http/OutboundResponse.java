package io.bookinghub.spi.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A whole HTTP response.
 *
 * @param status  the status code (100–599); a 3xx is a redirect the transport did not follow
 * @param headers response headers, names in lower case (HTTP header names are case-insensitive)
 * @param body    the body, fully read; empty for none
 */
public record OutboundResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public OutboundResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599: " + status);
        }
        requireNonNull(headers, "headers is null");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            requireNonNull(name, "header name is null");
            requireNonNull(values, "values of header " + name + " are null");
            lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values);
        });
        Map<String, List<String>> copy = new LinkedHashMap<>();
        lower.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Map.copyOf(copy);
        body = requireNonNull(body, "body is null").clone();
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> firstHeader(String name) {
        List<String> values = headers.get(requireNonNull(name, "name is null").toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8 (JSON's encoding; malformed bytes become U+FFFD). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Status and size only: bodies and headers may carry tokens. */
    @Override
    public String toString() {
        return "OutboundResponse[" + status + ", " + body.length + " bytes]";
    }
}
