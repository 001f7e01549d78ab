package io.bookinghub.hub.auth;

/** Admin API roles. A business-admin key is bound to exactly one business. */
public enum Role {
    HUB_ADMIN("hub-admin"),
    BUSINESS_ADMIN("business-admin");

    /** Role names as used in @RolesAllowed and the api_keys table. */
    public static final String HUB_ADMIN_NAME = "hub-admin";
    public static final String BUSINESS_ADMIN_NAME = "business-admin";

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
