package io.bookinghub.spi.sync;

/**
 * How a run ended from the connector's point of view. Counts are kept by the hub's sink; the
 * connector only says whether it read everything it meant to.
 *
 * @param complete true when every resource was read to the end (required before a full sync may
 *                 soft-delete records that were not seen)
 * @param message  optional secret-free summary
 */
public record SyncResult(boolean complete, String message) {
    public static SyncResult completed() {
        return new SyncResult(true, null);
    }

    public static SyncResult partial(String message) {
        return new SyncResult(false, message);
    }
}
