package io.bookinghub.spi;

/**
 * Every failure a connector reports carries exactly one of these codes. The hub maps them to HTTP
 * statuses, retry decisions and connection health; connectors never invent their own exception types.
 */
public enum ErrorCode {
    /** Credentials are missing, expired beyond refresh, or revoked: an admin must (re)connect. */
    AUTH_REQUIRED(false),
    /** The provider throttled us; retrying later is expected to succeed. */
    RATE_LIMITED(true),
    /** The provider does not know the requested record. */
    NOT_FOUND(false),
    /** Input (configuration, request, file, payload) is invalid; the message names what. */
    INVALID_INPUT(false),
    /** The provider could not be reached or answered with a transient failure (timeouts, 502–504). */
    PROVIDER_UNAVAILABLE(true),
    /** The provider answered with something we cannot use (unexpected status, malformed body). */
    PROVIDER_ERROR(false),
    /** The connector does not declare the capability that the operation needs. */
    UNSUPPORTED(false),
    /** The caller may not do this (e.g. a tenant setting an operator's integration property). */
    FORBIDDEN(false),
    /** The operation conflicts with current state (e.g. a sync already running for the connection). */
    CONFLICT(false),
    /** A booking's slot is taken (or not bookable) at the provider; alternatives may be offered. */
    SLOT_UNAVAILABLE(false),
    /** The record changed at the provider since the version the caller named (optimistic concurrency). */
    VERSION_MISMATCH(false),
    /** A bug or unexpected condition inside the connector or hub. */
    INTERNAL(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same operation may succeed if simply tried again later. */
    public boolean retryable() {
        return retryable;
    }
}
