package io.bookinghub.hub.connections;

/** Connection states shown to admins and used by health checks. */
public enum ConnectionStatus {
    /** Enabled and configured. */
    ACTIVE,
    /** The provider refused our credentials for good (e.g. invalid_grant): an admin must reconnect. */
    NEEDS_REAUTHORIZATION,
    /** Disabled by an admin; configuration kept, credentials deleted. */
    DISABLED
}
