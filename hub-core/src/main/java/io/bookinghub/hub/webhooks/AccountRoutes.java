package io.bookinghub.hub.webhooks;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.bookinghub.hub.connections.ConnectionRow;
import java.time.Duration;
import java.util.List;

/**
 * The connections a webhook for a provider account may belong to, cached for a short time: routing is
 * asked once per request, and at thousands of requests a second a database query each is most of what
 * the database does for intake.
 *
 * <p>Staleness is bounded by the time to live and harmless by design: a connection disabled on another
 * node in the meantime is re-checked by the worker before anything is applied, and a request refused
 * because another node created a connection or replaced a secret a moment ago is retried by the
 * provider (a rotation that keeps the previous secret refuses nothing). Empty results are cached too, so a flood naming unknown
 * accounts costs no queries; the size bound keeps such a flood from growing the cache.
 */
final class AccountRoutes {
    private record Key(String connectorId, String accountId) {
    }

    private final WebhookStore store;
    private final Cache<Key, List<ConnectionRow>> cache;

    /** @param ttl 0 turns caching off */
    AccountRoutes(WebhookStore store, Duration ttl, long maxAccounts, Ticker ticker) {
        this.store = requireNonNull(store, "store is null");
        this.cache = ttl.isZero() ? null : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxAccounts)
                .ticker(ticker).build();
    }

    /** Connections of a connector for a provider account: enabled ones first, then the oldest. */
    List<ConnectionRow> connections(String connectorId, String accountId) {
        if (cache == null) {
            return store.connectionsForAccount(connectorId, accountId);
        }
        return cache.get(new Key(connectorId, accountId), k -> store.connectionsForAccount(k.connectorId(),
                k.accountId()));
    }

    /** Forgets everything; called when this node changes a connection. */
    void invalidateAll() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
