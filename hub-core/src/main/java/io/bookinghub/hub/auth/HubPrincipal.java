package io.bookinghub.hub.auth;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The caller behind an API key.
 *
 * @param businessId   the business of a business-admin key, empty for the other roles
 * @param appBusinesses the businesses an app key is bound to (at least one), empty for the other roles
 * @param scopes       what an app key may do there, empty for admin keys (their role decides)
 */
public record HubPrincipal(UUID keyId, String keyName, Role role, Optional<UUID> businessId, Set<UUID> appBusinesses,
        Set<Scope> scopes) implements Principal {
    public HubPrincipal {
        requireNonNull(keyId, "keyId is null");
        requireNonNull(role, "role is null");
        requireNonNull(businessId, "businessId is null");
        appBusinesses = Set.copyOf(requireNonNull(appBusinesses, "appBusinesses is null"));
        scopes = Set.copyOf(requireNonNull(scopes, "scopes is null"));
        if ((role == Role.BUSINESS_ADMIN) != businessId.isPresent()) {
            throw new IllegalArgumentException("business-admin keys, and only they, are bound to a business");
        }
        if ((role == Role.APP) != !appBusinesses.isEmpty() || (role == Role.APP) != !scopes.isEmpty()) {
            throw new IllegalArgumentException("app keys, and only they, carry businesses and scopes");
        }
    }

    @Override
    public String getName() {
        return keyName;
    }

    public boolean isHubAdmin() {
        return role == Role.HUB_ADMIN;
    }

    /** Whether the key may see the business at all (any scope, for an app key). */
    public boolean canAccess(UUID business) {
        return switch (role) {
            case HUB_ADMIN -> true;
            case BUSINESS_ADMIN -> businessId.get().equals(business);
            case APP -> appBusinesses.contains(business);
        };
    }

    /**
     * Tenant isolation: a caller asking for a business it is not bound to gets the same 404 as for a business
     * that does not exist, so ids of other tenants cannot be probed.
     */
    public void requireAccess(UUID business) {
        if (!canAccess(business)) {
            throw new ConnectorException(ErrorCode.NOT_FOUND, "No business " + business);
        }
    }

    /**
     * The app API's check: the business must be one the key is bound to (else 404, as above) and an app key must
     * carry {@code scope} (else 403 naming it). Admin keys pass for the businesses their role reaches.
     */
    public void requireScope(UUID business, Scope scope) {
        requireAccess(business);
        if (role == Role.APP && !scopes.contains(scope)) {
            throw new ConnectorException(ErrorCode.FORBIDDEN, "this API key lacks the '" + scope.wireName()
                    + "' scope; issue a key with it");
        }
    }
}
