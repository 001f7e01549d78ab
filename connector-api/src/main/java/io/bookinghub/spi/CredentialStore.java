package io.bookinghub.spi;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Per-connection secret storage, encrypted at rest by the hub. Credentials are a small map of
 * named values (e.g. {@code access_token}, {@code refresh_token}, {@code expires_at}).
 */
public interface CredentialStore {

    /** The current credentials; empty when the connection was never authorized or was disconnected. */
    Map<String, String> load();

    /** Replaces the credentials. */
    void save(Map<String, String> credentials);

    /** Deletes the credentials. */
    void clear();

    /**
     * Runs {@code update} on the freshest credentials while holding a lease on them that holds across hub
     * processes sharing the database, and stores its result. This is how a token refresh happens exactly
     * once without pinning a database connection for the length of a provider call:
     * <ol>
     * <li>the store takes a short lease (committed at once; no transaction stays open). A caller that finds
     * the lease taken waits, polling with backoff, until it is released or has expired (its holder died),
     * and then runs with what the holder stored; past a bounded wait it fails with a retryable
     * {@link ErrorCode#PROVIDER_UNAVAILABLE};</li>
     * <li>{@code update} runs outside any transaction, so it may call the provider. It must re-check expiry
     * on what it is given and return its input unchanged when someone else already refreshed;</li>
     * <li>straight after it returns, the result is stored in its own short transaction, and only if the
     * credentials were not changed meanwhile (compare-and-set on their version): a holder whose lease expired
     * and that comes back late never overwrites a newer refresh token. When the compare-and-set fails, what
     * is stored now is returned.</li>
     * </ol>
     * A lease lasts longer than the hub lets one outbound call take. When {@code update} throws, the lease is
     * released and nothing is stored. An empty result deletes the credentials.
     *
     * @return what is stored after the call
     */
    Map<String, String> update(UnaryOperator<Map<String, String>> update);

    /**
     * Records that the credentials no longer work and an admin must reconnect (e.g. after
     * {@code invalid_grant}); the connection's status and health show it.
     */
    void markReauthorizationRequired(String reason);
}
