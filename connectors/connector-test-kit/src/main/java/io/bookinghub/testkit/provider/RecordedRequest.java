package io.bookinghub.testkit.provider;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request a {@link ScriptedProvider} received, and the status it answered, so checks can assert what a
 * connector sent (its credential, its cursor parameter, which pages).
 *
 * @param method  the HTTP method
 * @param path    the decoded path, e.g. {@code /bookings}
 * @param query   decoded query parameters in order
 * @param headers headers, names in lower case
 * @param body    the request body (empty for none)
 * @param status  the status the provider answered
 * @param at      when it arrived (the system clock: for ordering only)
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> query,
        Map<String, List<String>> headers, byte[] body, int status, Instant at) {

    public RecordedRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        query = Map.copyOf(requireNonNull(query, "query is null"));
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        body = requireNonNull(body, "body is null").clone();
        requireNonNull(at, "at is null");
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Method, path and query names only: headers and values may carry credentials. */
    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : " ?" + String.join("&", query.keySet())) + " -> "
                + status;
    }
}
