package io.bookinghub.hub;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bookinghub.hub.appwebhooks.AppWebhooksConfig;
import io.bookinghub.hub.bookings.BookingsConfig;
import io.bookinghub.hub.connections.ConnectionsConfig;
import io.bookinghub.hub.console.ConsoleConfig;
import io.bookinghub.hub.crypto.SecurityConfig;
import io.bookinghub.hub.db.DatabaseConfig;
import io.bookinghub.hub.imports.ImportsConfig;
import io.bookinghub.hub.oauth.OAuthConfig;
import io.bookinghub.hub.outbound.OutboundConfig;
import io.bookinghub.hub.plugins.PluginsConfig;
import io.bookinghub.hub.retention.RetentionConfig;
import io.bookinghub.hub.sync.SyncConfig;
import io.bookinghub.hub.webhooks.WebhooksConfig;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

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
    private AppWebhooksConfig appWebhooks = new AppWebhooksConfig();

    @Valid
    @NotNull
    @JsonProperty
    private SyncConfig sync = new SyncConfig();

    @Valid
    @NotNull
    @JsonProperty
    private ConnectionsConfig connections = new ConnectionsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private BookingsConfig bookings = new BookingsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private RetentionConfig retention = new RetentionConfig();

    @Valid
    @NotNull
    @JsonProperty
    private ImportsConfig imports = new ImportsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private OutboundConfig outbound = new OutboundConfig();

    @Valid
    @NotNull
    @JsonProperty
    private ConsoleConfig console = new ConsoleConfig();

    /**
     * The operator's integration settings per connector id (e.g. {@code integrations.booksy.clientId});
     * checked against the installed connectors at start-up.
     */
    @NotNull
    @JsonProperty
    private Map<String, Map<String, String>> integrations = Map.of();

    public Map<String, Map<String, String>> getIntegrations() {
        return integrations;
    }

    public DatabaseConfig getDatabase() {
        return database;
    }

    public PluginsConfig getPlugins() {
        return plugins;
    }

    public ConsoleConfig getConsole() {
        return console;
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

    public AppWebhooksConfig getAppWebhooks() {
        return appWebhooks;
    }

    public ConnectionsConfig getConnections() {
        return connections;
    }

    public BookingsConfig getBookings() {
        return bookings;
    }

    public RetentionConfig getRetention() {
        return retention;
    }

    public SyncConfig getSync() {
        return sync;
    }

    public ImportsConfig getImports() {
        return imports;
    }

    public OutboundConfig getOutbound() {
        return outbound;
    }
}
