package io.bookinghub.hub.integrations;

/** Where a setting's effective value came from, most specific first. */
public enum Origin {
    /** The tenant's connection (a connection-scope property). */
    CONNECTION,
    /** A hub-admin's override of an integration property for one connection. */
    OVERRIDE,
    /** The operator's integration settings stored through {@code PUT /admin/connectors/{id}/settings}. */
    SETTINGS,
    /** The {@code integrations:} section of config.yml. */
    CONFIG_FILE,
    /** The hub process's environment variable the property names (e.g. {@code BOOKSY_CLIENT_ID}). */
    ENVIRONMENT,
    /** The connector's declared default. */
    DEFAULT
}
