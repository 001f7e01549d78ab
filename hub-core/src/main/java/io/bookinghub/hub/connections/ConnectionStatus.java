package io.bookinghub.hub.connections;

/** Connection states shown to admins and used by health checks. */
public enum ConnectionStatus {
    /** Enabled, configured and (where the connector needs it) authorized: syncs and webhooks run. */
    ACTIVE,
    /**
     * Enabled, but the connection works only after the business owner authorizes it (OAuth) and it was
     * never authorized, or its tokens were discarded because the operator changed where they were issued.
     */
    NEEDS_AUTHORIZATION,
    /** The provider refused our credentials for good (e.g. invalid_grant): an admin must reconnect. */
    NEEDS_REAUTHORIZATION,
    /** Disabled by an admin; configuration kept, credentials deleted. */
    DISABLED
}
