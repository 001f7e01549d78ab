package io.bookinghub.hub.auth;

/**
 * API key roles. A business-admin key is bound to exactly one business and uses the admin routes; an app key is
 * bound to one or more businesses and scopes and uses only the {@code /v1} app routes.
 */
public enum Role {
    HUB_ADMIN("hub-admin"),
    BUSINESS_ADMIN("business-admin"),
    APP("app");

    /** Role names as used in @RolesAllowed and the api_keys table. */
    public static final String HUB_ADMIN_NAME = "hub-admin";
    public static final String BUSINESS_ADMIN_NAME = "business-admin";
    public static final String APP_NAME = "app";

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'");
    }
}
