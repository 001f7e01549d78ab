package io.bookinghub.hub.outbound;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One allow-list entry, {@code host:port}: the host is a name ({@code localhost}), a suffix wildcard
 * ({@code *.example.test}: any name below it, not the domain itself), an IPv4 address or a bracketed IPv6
 * address ({@code [::1]}, compared as written); the port is a number or {@code *}. Hosts compare without case.
 *
 * @param host   lower case, IPv6 without brackets; for a wildcard, the suffix including its leading dot
 * @param suffix whether {@code host} is a {@code *.} suffix
 * @param port   the port, or -1 for any
 */
public record AllowRule(String host, boolean suffix, int port) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    public AllowRule {
        requireNonNull(host, "host is null");
        if (host.isEmpty() || port < -1 || port == 0 || port > 65535) {
            throw new IllegalArgumentException("bad allow rule " + host + ":" + port);
        }
    }

    /** @throws IllegalArgumentException naming {@code pattern} when it is not {@code host:port} */
    public static AllowRule parse(String pattern) {
        requireNonNull(pattern, "pattern is null");
        String text = pattern.trim().toLowerCase(Locale.ROOT);
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw bad(pattern);
        }
        String hostPart = text.substring(0, colon);
        String portPart = text.substring(colon + 1);
        int port;
        if (portPart.equals("*")) {
            port = -1;
        } else if (portPart.matches("[0-9]{1,5}") && Integer.parseInt(portPart) >= 1
                && Integer.parseInt(portPart) <= 65535) {
            port = Integer.parseInt(portPart);
        } else {
            throw bad(pattern);
        }
        if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
            String v6 = hostPart.substring(1, hostPart.length() - 1);
            if (v6.isEmpty() || !IPV6.matcher(v6).matches() || !v6.contains(":")) {
                throw bad(pattern);
            }
            return new AllowRule(v6, false, port);
        }
        if (hostPart.startsWith("*.") && NAME.matcher(hostPart.substring(2)).matches()) {
            return new AllowRule(hostPart.substring(1), true, port);
        }
        if (NAME.matcher(hostPart).matches()) {
            return new AllowRule(hostPart, false, port);
        }
        throw bad(pattern);
    }

    private static IllegalArgumentException bad(String pattern) {
        return new IllegalArgumentException("not a host:port pattern: '" + pattern + "'");
    }

    /**
     * @param normalizedHost lower case, IPv6 without brackets, no trailing dot
     * @param destinationPort the port actually connected to (the scheme's default when the URI has none)
     */
    public boolean matches(String normalizedHost, int destinationPort) {
        if (port != -1 && port != destinationPort) {
            return false;
        }
        return suffix ? normalizedHost.endsWith(host) && normalizedHost.length() > host.length()
                : normalizedHost.equals(host);
    }

    @Override
    public String toString() {
        String shownHost = suffix ? "*" + host : host.contains(":") ? "[" + host + "]" : host;
        return shownHost + ":" + (port == -1 ? "*" : Integer.toString(port));
    }
}
