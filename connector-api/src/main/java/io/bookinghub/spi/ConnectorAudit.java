package io.bookinghub.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a connector reports what it did, so admins can see every outbound call. Arguments must not
 * contain tokens, secrets or verifiers: paths are given without query strings that carry secrets.
 */
public interface ConnectorAudit {

    /**
     * One outbound HTTP attempt.
     *
     * @param method    HTTP method
     * @param path      request path (no secret query parameters)
     * @param status    HTTP status, or 0 when no response arrived
     * @param latency   time from send to response or failure
     * @param attempt   1 for the first try, 2 for the first retry, ...
     * @param error     short, secret-free description of the failure, or null
     * @param startedAt when the attempt started
     */
    record ApiCall(String method, String path, int status, Duration latency, int attempt, String error,
            Instant startedAt) {
        public ApiCall {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            requireNonNull(latency, "latency is null");
            requireNonNull(startedAt, "startedAt is null");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be >= 1");
            }
        }
    }

    void apiCall(ApiCall call);

    /** A notable event (e.g. "token refreshed"), kept in the connection's log. */
    void event(String type, String message);
}
