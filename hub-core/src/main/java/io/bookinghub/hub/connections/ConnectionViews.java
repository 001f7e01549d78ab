package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.InstalledConnector;
import io.bookinghub.spi.ConfigProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/** Turns stored connections into what the API shows: plain settings, and secrets only as set or unset. */
final class ConnectionViews {
    private final Jdbi jdbi;
    private final ConnectorPlugins plugins;
    private final ConnectionContexts contexts;
    private final Function<String, String> environment;

    ConnectionViews(Jdbi jdbi, ConnectorPlugins plugins, ConnectionContexts contexts,
            Function<String, String> environment) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.contexts = requireNonNull(contexts, "contexts is null");
        this.environment = requireNonNull(environment, "environment is null");
    }

    ConnectionView view(ConnectionRow row) {
        Map<String, Object> config = new LinkedHashMap<>(ConnectionContexts.parse(row.config()));
        Map<String, String> secretState = new LinkedHashMap<>();
        Map<String, String> stored = contexts.storedSecrets(row);
        Optional<InstalledConnector> installed = plugins.find(row.connectorId());
        if (installed.isPresent()) {
            for (ConfigProperty p : installed.get().descriptor().configProperties()) {
                if (!p.secret()) {
                    continue;
                }
                boolean fromEnv = p.environmentVariable() != null && environment.apply(p.environmentVariable()) != null
                        && !environment.apply(p.environmentVariable()).isBlank();
                secretState.put(p.name(), stored.containsKey(p.name()) ? "set" : fromEnv ? "set (environment)" : "unset");
            }
        } else {
            stored.keySet().forEach(k -> secretState.put(k, "set"));
        }
        boolean credentials = jdbi.onDemand(CredentialDao.class).find(row.id()).isPresent();
        return new ConnectionView(row.id(), row.businessId(), row.connectorId(), row.enabled(), row.status(),
                row.statusReason(), config, secretState, credentials, row.syncInterval(), row.nextSyncAt(),
                row.createdAt(), row.updatedAt());
    }
}
