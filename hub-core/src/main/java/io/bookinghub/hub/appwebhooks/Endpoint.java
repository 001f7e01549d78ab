package io.bookinghub.hub.appwebhooks;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.crypto.SecretBox;
import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A stored endpoint. Its secrets stay sealed here; {@link EndpointStore#secrets} opens them only to sign.
 *
 * @param previousSecret the secret before the last rotation, null when none still signs
 */
record Endpoint(UUID id, UUID ownerKeyId, URI url, Set<String> eventTypes, Set<UUID> businessIds,
        SecretBox.Sealed secret, SecretBox.Sealed previousSecret, Instant previousSecretUntil, boolean active,
        String disabledReason, Instant disabledAt, Instant createdAt) {
    Endpoint {
        requireNonNull(id, "id is null");
        requireNonNull(ownerKeyId, "ownerKeyId is null");
        requireNonNull(url, "url is null");
        eventTypes = Set.copyOf(eventTypes);
        businessIds = Set.copyOf(businessIds);
        requireNonNull(secret, "secret is null");
        requireNonNull(createdAt, "createdAt is null");
    }

    boolean wants(UUID business, String eventType) {
        return businessIds.contains(business) && eventTypes.contains(eventType);
    }

    EndpointView view() {
        return new EndpointView(id, url.toString(), eventTypes.stream().sorted().toList(),
                businessIds.stream().map(UUID::toString).sorted().toList(), active ? "active" : "disabled",
                disabledReason, disabledAt, previousSecretUntil, createdAt);
    }
}
