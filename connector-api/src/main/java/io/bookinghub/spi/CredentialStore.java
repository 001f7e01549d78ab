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
     * Reads the freshest credentials under an exclusive lock that holds across hub processes sharing
     * the database, lets {@code update} compute new ones, stores the result and releases the lock.
     * This is how a token refresh happens exactly once: the function re-checks expiry on what it is
     * given and returns its input unchanged when another thread or process already refreshed.
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
