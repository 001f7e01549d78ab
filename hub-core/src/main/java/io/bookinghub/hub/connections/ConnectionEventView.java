package io.bookinghub.hub.connections;

import java.time.Instant;

/** Something that happened to a connection (enabled, token refreshed, sync failed...). */
public record ConnectionEventView(long id, Instant at, String type, String message) {
}
