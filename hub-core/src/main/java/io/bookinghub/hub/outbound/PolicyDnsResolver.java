package io.bookinghub.hub.outbound;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's resolver: every new connection, IP literals included, gets its addresses here, through the
 * policy, and connects only to what the policy let through.
 */
final class PolicyDnsResolver implements DnsResolver {
    private final OutboundPolicy policy;

    PolicyDnsResolver(OutboundPolicy policy) {
        this.policy = requireNonNull(policy, "policy is null");
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return policy.addresses(host, -1);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(policy.addresses(host, port)).map(a -> new InetSocketAddress(a, port)).toList();
    }

    /** Only authentication schemes we do not use (SPNEGO) ask; answering the name itself avoids a lookup. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
