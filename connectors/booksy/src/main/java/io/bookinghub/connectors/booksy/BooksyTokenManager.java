package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.github.scribejava.core.model.OAuth2AccessToken;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out a valid Booksy access token, refreshing it {@code tokenRefreshSkew} before it expires.
 *
 * <p>Exactly one refresh happens however many callers need a token at once: within this process
 * callers queue on a lock and reuse what the first one stored; across hub processes the refresh runs
 * inside {@link io.bookinghub.spi.CredentialStore#update} (under the store's lease, with no transaction held
 * during the call to Booksy), whose function re-checks expiry on the freshest stored values and returns them
 * unchanged when someone else already refreshed.
 */
public final class BooksyTokenManager {
    private static final Logger LOG = LoggerFactory.getLogger(BooksyTokenManager.class);

    private final ConnectorContext context;
    private final BooksyOAuthFlow flow;
    private final Duration skew;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, String> cached;

    public BooksyTokenManager(ConnectorContext context, BooksyOAuthFlow flow, Duration skew) {
        this.context = requireNonNull(context, "context is null");
        this.flow = requireNonNull(flow, "flow is null");
        this.skew = requireNonNull(skew, "skew is null");
        flow.onCredentialsChanged(this::invalidate);
    }

    /** Drops the in-memory copy so the next call reads the store again. */
    public void invalidate() {
        cached = null;
    }

    /**
     * A usable access token.
     *
     * @throws ConnectorException AUTH_REQUIRED when the connection is not authorized or the refresh token
     *                            was rejected; PROVIDER_UNAVAILABLE / PROVIDER_ERROR when refreshing failed
     */
    public String accessToken() {
        Map<String, String> current = cached;
        if (current != null && !expiring(current)) {
            return current.get(BooksyOAuthFlow.ACCESS_TOKEN);
        }
        lock.lock();
        try {
            current = cached;
            if (current == null || expiring(current)) {
                current = context.credentials().load();
                requireAuthorized(current);
                if (expiring(current)) {
                    current = refresh(null);
                }
                cached = current;
            }
            return current.get(BooksyOAuthFlow.ACCESS_TOKEN);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refreshes after Booksy rejected {@code rejectedToken} with 401, unless another caller already replaced
     * it, and returns the token to retry with.
     */
    public String forceRefresh(String rejectedToken) {
        requireNonNull(rejectedToken, "rejectedToken is null");
        lock.lock();
        try {
            Map<String, String> current = cached;
            if (current != null && !rejectedToken.equals(current.get(BooksyOAuthFlow.ACCESS_TOKEN))
                    && !expiring(current)) {
                return current.get(BooksyOAuthFlow.ACCESS_TOKEN);
            }
            current = refresh(rejectedToken);
            cached = current;
            return current.get(BooksyOAuthFlow.ACCESS_TOKEN);
        } finally {
            lock.unlock();
        }
    }

    private Map<String, String> refresh(String rejectedToken) {
        boolean[] invalidGrant = {false};
        boolean[] refreshed = {false};
        Map<String, String> stored;
        try {
            stored = context.credentials().update(fresh -> {
                requireAuthorized(fresh);
                boolean stillRejected = rejectedToken != null
                        && rejectedToken.equals(fresh.get(BooksyOAuthFlow.ACCESS_TOKEN));
                if (!stillRejected && !expiring(fresh)) {
                    return fresh; // someone (thread or process) already refreshed
                }
                String refreshToken = fresh.get(BooksyOAuthFlow.REFRESH_TOKEN);
                if (refreshToken == null || refreshToken.isBlank()) {
                    invalidGrant[0] = true;
                    throw new ConnectorException(ErrorCode.AUTH_REQUIRED,
                            "Booksy access token expired and no refresh token is stored");
                }
                OAuth2AccessToken token;
                try {
                    token = flow.refreshRaw(refreshToken);
                } catch (Exception e) {
                    invalidGrant[0] = BooksyOAuthFlow.isInvalidGrant(e);
                    throw BooksyOAuthFlow.mapFailure(e, "token refresh");
                }
                refreshed[0] = true;
                return flow.toCredentials(token, refreshToken);
            });
        } catch (ConnectorException e) {
            if (invalidGrant[0]) {
                // Outside update(): its lease is released, so the mark is not held up behind it.
                context.credentials().markReauthorizationRequired(e.getMessage());
                context.audit().event("reauthorization_required", e.getMessage());
                throw new ConnectorException(ErrorCode.AUTH_REQUIRED, e.getMessage());
            }
            throw e;
        }
        requireAuthorized(stored);
        if (refreshed[0]) {
            context.audit().event("token_refreshed", "Booksy access token refreshed");
            LOG.info("Booksy access token refreshed for business {}", context.businessId());
        }
        return stored;
    }

    private static void requireAuthorized(Map<String, String> credentials) {
        if (credentials == null || credentials.get(BooksyOAuthFlow.ACCESS_TOKEN) == null) {
            throw new ConnectorException(ErrorCode.AUTH_REQUIRED, "Booksy connection is not authorized");
        }
    }

    private boolean expiring(Map<String, String> credentials) {
        String expiresAt = credentials.get(BooksyOAuthFlow.EXPIRES_AT);
        if (expiresAt == null) {
            return false; // no expiry given: use it until Booksy answers 401
        }
        try {
            Instant expiry = Instant.parse(expiresAt);
            return !context.clock().instant().plus(skew).isBefore(expiry);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return "BooksyTokenManager[business=" + context.businessId() + ", cached=" + Objects.nonNull(cached) + "]";
    }
}
