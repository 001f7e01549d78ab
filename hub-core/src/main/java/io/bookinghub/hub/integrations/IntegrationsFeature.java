package io.bookinghub.hub.integrations;

import io.bookinghub.hub.connections.ConnectionSecrets;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.dropwizard.core.setup.Environment;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/** The operator's integration settings per connector, and their hub-admin routes. */
public final class IntegrationsFeature {
    private IntegrationsFeature() {
    }

    /**
     * Checks config.yml's integration settings against the installed connectors (a bad one stops start-up)
     * and registers {@code /admin/connectors/{connectorId}/settings}.
     */
    public static Integrations register(Environment environment, Jdbi jdbi, Clock clock, SecretBox secretBox,
            ConnectorPlugins plugins, Map<String, Map<String, String>> file, Function<String, String> variables,
            Function<URI, Optional<String>> outboundRefusal) {
        Integrations integrations = new Integrations(jdbi, new ConnectionSecrets(secretBox), clock, plugins, file,
                variables, outboundRefusal);
        integrations.validateFileSettings();
        environment.jersey().register(new IntegrationResource(integrations));
        return integrations;
    }
}
