package io.bookinghub.spi;

import io.bookinghub.spi.booking.Bookings;
import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.spi.oauth.OAuthFlow;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.webhook.WebhookHandler;
import java.util.Optional;

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

    /** Availability search and writes to the provider's calendar, for {@link Capability#WRITE_BACK}. */
    default Bookings bookings() {
        throw ConnectorException.unsupported(descriptor().id(), Capability.WRITE_BACK);
    }

    /**
     * Whether this connection works only after an authorization flow (its credentials come from
     * {@link #oauth()}, not from its configuration). The hub shows such a connection as needing
     * authorization, and does not schedule it, until the flow has stored credentials. Default: false.
     */
    default boolean authorizationRequired() {
        return false;
    }

    /**
     * The provider account the connection's credentials really grant, checked with the provider: the
     * configured account after verifying the credentials reach it, or, when the tenant configured none,
     * the one account the grant covers. The hub calls it after an authorization-code exchange, and after
     * configuring a connection whose credentials come from its configuration; it then binds the account
     * to this connection only (one enabled connection per provider account, so only that connection
     * receives the account's webhooks). Default: empty, meaning the connector has no provider accounts
     * to bind (its webhooks arrive on per-connection URLs).
     *
     * @throws ConnectorException AUTH_REQUIRED when the credentials do not grant the configured account,
     *                            or INVALID_INPUT when the account is ambiguous; the hub then discards
     *                            the credentials and shows the message
     */
    default Optional<String> verifyAccount() {
        return Optional.empty();
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
