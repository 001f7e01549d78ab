package io.bookinghub.spi.webhook;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How the hub finds the connection an inbound webhook is for, declared by the connector
 * ({@link io.bookinghub.spi.BookingConnectorFactory#webhookRoute()}). Routing only picks the candidate connection;
 * the connection's {@link WebhookHandler#verify} still decides whether the request is genuine.
 *
 * <ul>
 *   <li>{@link Kind#BY_ACCOUNT}: one shared URL per connector, {@code POST /connectors/{connectorId}/webhook}; the
 *       payload names the provider account, read by {@link io.bookinghub.spi.BookingConnectorFactory#webhookAccountId}
 *       and matched against the account bound to a connection ({@link WebhookHandler#accountId()} as verified).</li>
 *   <li>{@link Kind#BY_URL}: each connection has its own URL,
 *       {@code POST /connectors/{connectorId}/webhook/{connectionId}}, which the hub shows as the connection's
 *       {@code webhookUrl} for the tenant to register with the provider. The shared URL refuses every request.</li>
 *   <li>{@link Kind#BY_PARAMETER}: the shared URL, with the account named by a request header or a query
 *       parameter ({@link #parameter()}), e.g. a provider that appends {@code ?account=...} or sends
 *       {@code X-Account-Id}.</li>
 * </ul>
 * In every kind the per-connection URL also works. Two enabled connections of a connector can never be bound to the
 * same account: the hub refuses the second (409), and if a route ever matched two it refuses the request rather
 * than pick one.
 *
 * @param kind      how the account is found
 * @param parameter for {@link Kind#BY_PARAMETER}: the header name (matched case-insensitively) or the query
 *                  parameter name; null otherwise
 * @param inQuery   for {@link Kind#BY_PARAMETER}: whether {@code parameter} is a query parameter rather than a header
 * @since SPI 2.0.0
 */
public record WebhookRoute(Kind kind, String parameter, boolean inQuery) {

    /** How a webhook's connection is found. */
    public enum Kind {
        BY_ACCOUNT,
        BY_URL,
        BY_PARAMETER
    }

    public WebhookRoute {
        requireNonNull(kind, "kind is null");
        if (kind == Kind.BY_PARAMETER) {
            requireNonNull(parameter, "parameter is null");
            if (parameter.isBlank()) {
                throw new IllegalArgumentException("parameter is blank");
            }
        } else if (parameter != null || inQuery) {
            throw new IllegalArgumentException("only BY_PARAMETER routes name a parameter");
        }
    }

    /** The payload names the account ({@code webhookAccountId}). */
    public static WebhookRoute byAccount() {
        return new WebhookRoute(Kind.BY_ACCOUNT, null, false);
    }

    /** Each connection has its own URL. */
    public static WebhookRoute byUrl() {
        return new WebhookRoute(Kind.BY_URL, null, false);
    }

    /** The header {@code name} names the account. */
    public static WebhookRoute byHeader(String name) {
        return new WebhookRoute(Kind.BY_PARAMETER, name, false);
    }

    /** The query parameter {@code name} names the account. */
    public static WebhookRoute byQueryParameter(String name) {
        return new WebhookRoute(Kind.BY_PARAMETER, name, true);
    }

    /**
     * The account this route reads from the request itself (BY_PARAMETER), if the request names exactly one;
     * empty for the other kinds, and for a missing, repeated or blank parameter.
     */
    public Optional<String> accountIn(WebhookRequest request) {
        requireNonNull(request, "request is null");
        if (kind != Kind.BY_PARAMETER) {
            return Optional.empty();
        }
        return (inQuery ? request.singleQueryParameter(parameter) : request.singleHeader(parameter))
                .map(String::trim).filter(s -> !s.isEmpty());
    }
}
