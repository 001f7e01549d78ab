package io.bookinghub.hub;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bookinghub.hub.config.DatabaseConfig;
import io.bookinghub.hub.config.ImportsConfig;
import io.bookinghub.hub.config.OAuthConfig;
import io.bookinghub.hub.config.PluginsConfig;
import io.bookinghub.hub.config.SecurityConfig;
import io.bookinghub.hub.config.SyncConfig;
import io.bookinghub.hub.config.WebhooksConfig;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The hub's config.yml. Bean Validation stops start-up with a message naming any bad field. */
public class HubConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    private DatabaseConfig database = new DatabaseConfig();

    @Valid
    @NotNull
    @JsonProperty
    private PluginsConfig plugins = new PluginsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private SecurityConfig security = new SecurityConfig();

    @Valid
    @NotNull
    @JsonProperty
    private OAuthConfig oauth = new OAuthConfig();

    @Valid
    @NotNull
    @JsonProperty
    private WebhooksConfig webhooks = new WebhooksConfig();

    @Valid
    @NotNull
    @JsonProperty
    private SyncConfig sync = new SyncConfig();

    @Valid
    @NotNull
    @JsonProperty
    private ImportsConfig imports = new ImportsConfig();

    public DatabaseConfig getDatabase() {
        return database;
    }

    public PluginsConfig getPlugins() {
        return plugins;
    }

    public SecurityConfig getSecurity() {
        return security;
    }

    public OAuthConfig getOauth() {
        return oauth;
    }

    public WebhooksConfig getWebhooks() {
        return webhooks;
    }

    public SyncConfig getSync() {
        return sync;
    }

    public ImportsConfig getImports() {
        return imports;
    }
}
