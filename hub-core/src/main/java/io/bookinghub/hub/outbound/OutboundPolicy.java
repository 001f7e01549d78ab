package io.bookinghub.hub.outbound;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which destinations connectors may reach: {@code https} only, and only hosts whose every address is public
 * ({@link BlockedAddresses}), except {@code host:port}s an operator allow-listed. The address check runs in the
 * HTTP client's resolver ({@link PolicyDnsResolver}) for every new connection, on the addresses the connection
 * will use, so a name that re-resolves to a private address after a first check (DNS rebinding) is refused too.
 */
public final class OutboundPolicy {
    static final String HINT = "; an operator can allow-list it with HUB_OUTBOUND_ALLOW";
    /** Names that only mean something inside the hub's own network (RFC 6761, RFC 8375, ICANN's .internal). */
    private static final List<String> PRIVATE_SUFFIXES = List.of(".localhost", ".local", ".internal",
            ".home.arpa");
    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");

    private final List<AllowRule> allow;
    private final NameLookup lookup;

    public OutboundPolicy(List<AllowRule> allow, NameLookup lookup) {
        this.allow = List.copyOf(requireNonNull(allow, "allow is null"));
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    /**
     * Why a call to {@code uri} would be refused, checked before anything is sent (for validating a setting such
     * as a provider's base URL): the scheme, the allow-list, then the host's current addresses. Empty: allowed
     * now. A host that does not resolve is refused too ("does not resolve"). The reason names the host, never the
     * path or query.
     */
    public Optional<String> refusal(URI uri) {
        requireNonNull(uri, "uri is null");
        Optional<String> scheme = schemeRefusal(uri);
        if (scheme.isPresent()) {
            return scheme;
        }
        try {
            addresses(uri.getHost(), portOf(uri));
            return Optional.empty();
        } catch (RefusedDestinationException e) {
            return Optional.of(e.reason());
        } catch (UnknownHostException e) {
            return Optional.of(normalize(uri.getHost()) + " does not resolve");
        }
    }

    /** The checks that need no lookup: an absolute http(s) URI with a host, and https unless allow-listed. */
    Optional<String> schemeRefusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of("only absolute https URLs with a host can be called");
        }
        if (scheme.equals("http") && !isAllowListed(normalize(uri.getHost()), portOf(uri))) {
            return Optional.of("only https is allowed (http://" + destination(uri) + ")");
        }
        return Optional.empty();
    }

    /**
     * The addresses a new connection to {@code host:port} may use.
     *
     * @param port the destination port, or -1 when unknown (then only any-port rules allow-list the host)
     * @throws RefusedDestinationException when the policy refuses the host or any of its addresses
     */
    InetAddress[] addresses(String host, int port) throws UnknownHostException {
        String name = normalize(requireNonNull(host, "host is null"));
        if (isAllowListed(name, port)) {
            return lookup.lookup(name);
        }
        boolean literal = name.contains(":") || IPV4_LIKE.matcher(name).matches();
        if (!literal) {
            if (name.equals("localhost") || PRIVATE_SUFFIXES.stream().anyMatch(name::endsWith)) {
                throw new RefusedDestinationException(name + " is a name of the hub's own host or network");
            }
            if (!name.contains(".")) {
                // Single-label names resolve through the hub's search domains: metadata, kubernetes, a database.
                throw new RefusedDestinationException(name + " is a single-label name of the hub's network");
            }
        }
        InetAddress[] found = lookup.lookup(name);
        for (InetAddress address : found) {
            Optional<String> reason = BlockedAddresses.reason(address);
            if (reason.isPresent()) {
                throw new RefusedDestinationException(literal ? name + " is a " + reason.get()
                        : name + " resolves to " + address.getHostAddress() + ", a " + reason.get());
            }
        }
        return found;
    }

    /** The SPI's refusal for a call to {@code uri}. */
    ConnectorException refused(URI uri, String reason) {
        return new ConnectorException(ErrorCode.INVALID_INPUT,
                "Outbound call to " + destination(uri) + " refused: " + reason + HINT);
    }

    private boolean isAllowListed(String normalizedHost, int port) {
        return allow.stream().anyMatch(rule -> rule.matches(normalizedHost, port));
    }

    /** Lower case, IPv6 without brackets, no trailing dot (which would dodge name comparisons). */
    static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** The port a connection to {@code uri} uses: its own, else the scheme's default. */
    static int portOf(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static String destination(URI uri) {
        String host = uri.getHost() == null ? "(no host)" : uri.getHost();
        return host + ":" + portOf(uri);
    }
}
