package io.bookinghub.hub.connections;

import java.time.Instant;

/** An outbound provider call made for a connection (path without query string). */
public record ApiCallView(long id, Instant startedAt, String method, String path, int status, long latencyMs,
        int attempt, String error) {
}
