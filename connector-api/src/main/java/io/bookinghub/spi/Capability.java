package io.bookinghub.spi;

/**
 * What a connector can do. The hub only calls an operation whose capability is declared in the
 * connector's {@link ConnectorDescriptor}; a connector that is asked anyway must throw
 * {@link ConnectorException#unsupported(String, Capability)}.
 */
public enum Capability {
    /** Connects through an OAuth 2.0 authorization-code flow ({@link BookingConnector#oauth()}). */
    OAUTH_CONNECT,
    /** Authenticates with a static API key held in the connection's secret configuration. */
    API_KEY_AUTH,
    /** Reads everything and reports records the provider no longer has ({@link BookingConnector#sync}). */
    FULL_SYNC,
    /** Reads only what changed since the cursors saved by the previous run. */
    INCREMENTAL_SYNC,
    /** Receives provider events through the hub's webhook route ({@link BookingConnector#webhooks()}). */
    WEBHOOKS,
    /** Reports bookable availability slots. */
    AVAILABILITY,
    /** Books, moves and cancels appointments at the provider ({@link BookingConnector#bookings()}). */
    WRITE_BACK,
    /** Imports uploaded files (e.g. CSV exports) ({@link BookingConnector#fileImport()}). */
    FILE_IMPORT
}
