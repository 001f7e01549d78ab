package io.bookinghub.hub.auth;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.security.Principal;
import java.util.Optional;
import java.util.UUID;

/** The caller behind an API key. */
public record HubPrincipal(UUID keyId, String keyName, Role role, Optional<UUID> businessId) implements Principal {
    public HubPrincipal {
        requireNonNull(keyId, "keyId is null");
        requireNonNull(role, "role is null");
        requireNonNull(businessId, "businessId is null");
        if ((role == Role.BUSINESS_ADMIN) != businessId.isPresent()) {
            throw new IllegalArgumentException("business-admin keys, and only they, are bound to a business");
        }
    }

    @Override
    public String getName() {
        return keyName;
    }

    public boolean isHubAdmin() {
        return role == Role.HUB_ADMIN;
    }

    public boolean canAccess(UUID business) {
        return isHubAdmin() || businessId.get().equals(business);
    }

    /**
     * Tenant isolation: a business-admin asking for another business gets the same 404 as for a
     * business that does not exist, so ids of other tenants cannot be probed.
     */
    public void requireAccess(UUID business) {
        if (!canAccess(business)) {
            throw new ConnectorException(ErrorCode.NOT_FOUND, "No business " + business);
        }
    }
}
