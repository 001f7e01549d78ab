package io.bookinghub.spi;

import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.spi.oauth.OAuthFlow;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.webhook.WebhookHandler;

/**
 * A connector instance bound to one business connection. Each optional facet corresponds to a
 * {@link Capability}; its default implementation throws {@link ErrorCode#UNSUPPORTED} so that an
 * undeclared operation fails loudly instead of silently doing nothing.
 *
 * <p>Instances may be called from several threads at once (a scheduled sync, a webhook, an admin
 * request); implementations must be thread-safe.
 */
public interface BookingConnector extends AutoCloseable {

    /** The connector's descriptor (same as its factory's). */
    ConnectorDescriptor descriptor();

    /** The OAuth authorization-code flow, for {@link Capability#OAUTH_CONNECT}. */
    default OAuthFlow oauth() {
        throw ConnectorException.unsupported(descriptor().id(), Capability.OAUTH_CONNECT);
    }

    /**
     * Reads provider data into the sink, for {@link Capability#FULL_SYNC} (and
     * {@link Capability#INCREMENTAL_SYNC} when {@link SyncRequest#mode()} asks for it). Malformed
     * provider records are reported with {@link SyncSink#skipped} and the sync goes on.
     *
     * @throws ConnectorException when the run cannot continue; what was already written stays
     */
    default SyncResult sync(SyncRequest request, SyncSink sink) {
        throw ConnectorException.unsupported(descriptor().id(), Capability.FULL_SYNC);
    }

    /** Verification and mapping of provider events, for {@link Capability#WEBHOOKS}. */
    default WebhookHandler webhooks() {
        throw ConnectorException.unsupported(descriptor().id(), Capability.WEBHOOKS);
    }

    /** Imports uploaded files, for {@link Capability#FILE_IMPORT}. */
    default FileImporter fileImport() {
        throw ConnectorException.unsupported(descriptor().id(), Capability.FILE_IMPORT);
    }

    /**
     * Called when an admin disconnects the business: revoke what can be revoked at the provider.
     * The hub deletes the stored credentials afterwards whatever this does. Default: nothing to revoke.
     */
    default void disconnect() {
    }

    /** Releases resources (threads, HTTP clients). Never throws. */
    @Override
    default void close() {
    }
}
