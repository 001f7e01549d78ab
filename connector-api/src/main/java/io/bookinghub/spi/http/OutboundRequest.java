package io.bookinghub.spi.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One outbound HTTP request.
 *
 * @param method         an HTTP method token, e.g. {@code GET}
 * @param uri            absolute {@code http} or {@code https} URI with a host
 * @param headers        request headers; names the transport sets itself ({@code Host}, {@code Content-Length},
 *                       {@code Connection}, {@code Transfer-Encoding}, ...) are refused
 * @param body           the body; empty for none
 * @param connectTimeout how long establishing a connection may take; the hub caps it
 * @param timeout        how long the whole exchange (connecting, sending, reading the whole response) may take;
 *                       the hub caps it
 */
public record OutboundRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body,
        Duration connectTimeout, Duration timeout) {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Set by the transport from the URI and body; a connector's value would contradict them. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "transfer-encoding",
            "upgrade", "expect", "keep-alive", "te", "trailer", "proxy-connection");

    public OutboundRequest {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(timeout, "timeout is null");
        if (!TOKEN.matcher(method).matches()) {
            throw new IllegalArgumentException("method is not an HTTP token: " + method);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            // The URI may carry credentials in its query: name only what is wrong.
            throw new IllegalArgumentException("uri must be an absolute http(s) URI with a host");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            requireNonNull(name, "header name is null");
            requireNonNull(values, "values of header " + name + " are null");
            if (!TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("header name is not an HTTP token: " + name);
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is set by the transport");
            }
            List<String> checked = new ArrayList<>(values.size());
            for (String value : values) {
                requireNonNull(value, "a value of header " + name + " is null");
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("header " + name + " has a line break in its value");
                }
                checked.add(value);
            }
            copy.put(name, List.copyOf(checked));
        });
        headers = Map.copyOf(copy);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Neither headers nor URI: both may carry credentials. */
    @Override
    public String toString() {
        return "OutboundRequest[" + method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + "]";
    }
}
