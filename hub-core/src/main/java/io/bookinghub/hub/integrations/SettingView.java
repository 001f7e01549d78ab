package io.bookinghub.hub.integrations;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bookinghub.spi.ConfigProperty;

/**
 * One setting as shown to hub-admins: its scope, its value ({@value #SET} for a secret that has one;
 * absent when unset) and where the value came from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SettingView(ConfigProperty.Scope scope, String value, Origin origin) {
    /** What a set secret shows instead of its value. */
    public static final String SET = "set";

    /** The view of {@code property}'s value ({@code null} when unset), a secret's shown only as {@value #SET}. */
    static SettingView of(ConfigProperty property, String value, Origin origin) {
        return new SettingView(property.scope(), value == null ? null : property.secret() ? SET : value, origin);
    }
}
