package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.integrations.SettingView;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.webhook.WebhookRoute;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns stored connections into what the API shows: the business's settings and, apart, the operator's
 * overrides; secrets only as set or unset. Integration secrets (the operator's client secret, say) are not
 * mentioned: they are not the business's.
 */
final class ConnectionViews {
    private final Jdbi jdbi;
    private final ConnectorPlugins plugins;
    private final ConnectionContexts contexts;

    ConnectionViews(Jdbi jdbi, ConnectorPlugins plugins, ConnectionContexts contexts) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.contexts = requireNonNull(contexts, "contexts is null");
    }

    ConnectionView view(ConnectionRow row) {
        Map<String, Object> stored = contexts.storedValues(row);
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, String> secretState = new LinkedHashMap<>();
        Map<String, Object> overrides = new LinkedHashMap<>();
        Optional<InstalledConnector> installed = plugins.find(row.connectorId());
        if (installed.isPresent()) {
            for (ConfigProperty p : installed.get().descriptor().configProperties()) {
                Object value = stored.get(p.name());
                if (p.isIntegration()) {
                    if (value != null) {
                        overrides.put(p.name(), p.secret() ? SettingView.SET : value);
                    }
                } else if (p.secret()) {
                    secretState.put(p.name(), value != null ? SettingView.SET : "unset");
                } else if (value != null) {
                    config.put(p.name(), value);
                }
            }
        } else {
            // Without the plugin nothing says what is secret: show names only.
            stored.keySet().forEach(k -> secretState.put(k, SettingView.SET));
        }
        boolean credentials = jdbi.onDemand(CredentialDao.class).find(row.id()).isPresent();
        WebhookRoute route = installed.filter(i -> i.descriptor().supports(Capability.WEBHOOKS))
                .map(InstalledConnector::webhookRoute).orElse(null);
        String shared = "/connectors/" + row.connectorId() + "/webhook";
        return new ConnectionView(row.id(), row.businessId(), row.connectorId(), row.enabled(), row.status(),
                row.statusReason(), row.accountId(), config, secretState, overrides, credentials, row.syncInterval(),
                row.nextSyncAt(), row.createdAt(), row.updatedAt(), route == null ? null : route.kind().name(),
                route == null ? null : route.kind() == WebhookRoute.Kind.BY_URL ? shared + "/" + row.id() : shared);
    }
}
