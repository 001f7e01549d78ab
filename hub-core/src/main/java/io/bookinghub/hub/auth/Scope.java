package io.bookinghub.hub.auth;

import java.util.Locale;

/**
 * What an app key may do in the businesses it is bound to. Admin keys carry no scopes: their role decides
 * (a business-admin may read and write its own business, a hub-admin every business).
 */
public enum Scope {
    READ,
    WRITE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope fromWireName(String name) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(name)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + name + "': must be read or write");
    }
}
