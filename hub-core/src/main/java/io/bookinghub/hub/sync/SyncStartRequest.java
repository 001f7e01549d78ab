package io.bookinghub.hub.sync;

/** Body of {@code POST .../sync}: {@code mode} is FULL or INCREMENTAL, or absent for the default. */
public record SyncStartRequest(String mode) {
}
