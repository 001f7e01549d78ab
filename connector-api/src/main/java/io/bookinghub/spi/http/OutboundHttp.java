package io.bookinghub.spi.http;

import java.io.IOException;

/**
 * The hub's outbound HTTP transport: the only way a connector may reach the network. The hub owns the policy
 * behind it, so a tenant's configuration cannot point the hub at itself or at its network:
 *
 * <ul>
 *   <li>only {@code https} destinations, and only hosts whose every resolved address is public (no loopback,
 *       private, link-local, carrier-grade NAT, multicast or unspecified addresses, in IPv4 or IPv6 form);
 *       the check runs on every new connection, so a name that later re-resolves elsewhere is still refused;</li>
 *   <li>redirects are never followed: a 3xx is returned as it is;</li>
 *   <li>the request's timeouts are capped by the operator's maxima, and a response body larger than the
 *       operator's maximum fails the call instead of filling memory.</li>
 * </ul>
 *
 * <p>An operator can allow-list {@code host:port} patterns ({@code HUB_OUTBOUND_ALLOW}); an allow-listed
 * destination may use {@code http} and private addresses (sandboxes, test servers).
 *
 * <p>Implementations are thread-safe and shared by every connection of a hub; connectors must not close them.
 * A call blocks the calling thread for at most the request's (capped) timeout; interrupting the thread is not
 * guaranteed to cut it short.
 */
public interface OutboundHttp {

    /**
     * Sends one request and reads the whole response.
     *
     * @throws IOException for transport failures: connection refused, timeouts, a body over the size limit, an
     *     unresolvable host. A connector may retry these.
     * @throws io.bookinghub.spi.ConnectorException with {@link io.bookinghub.spi.ErrorCode#INVALID_INPUT} when
     *     the policy refuses the destination ("... refused: reason; an operator can allow-list it with
     *     HUB_OUTBOUND_ALLOW"). Never retryable: nothing was sent, and nothing will be until the configuration
     *     changes. The message names only host and port, never the path or query.
     */
    OutboundResponse send(OutboundRequest request) throws IOException;
}
