package io.bookinghub.hub.connections;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.integrations.Integrations;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.outbound.ProviderCalls;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.dropwizard.core.setup.Environment;
import java.security.SecureRandom;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * Business connections: configuration with sealed secrets, credentials, live connector instances, the
 * connection routes with their audit trail, and the connections health check.
 */
public final class ConnectionsFeature {
    private final ConnectionContexts contexts;
    private final ConnectorInstances instances;
    private final ConnectionService service;

    private ConnectionsFeature(ConnectionContexts contexts, ConnectorInstances instances,
            ConnectionService service) {
        this.contexts = requireNonNull(contexts, "contexts is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.service = requireNonNull(service, "service is null");
    }

    /**
     * @param integrations the operator's settings, which every connection's configuration resolves against;
     *                     a change to them discards credentials issued under other endpoint settings
     * @param http         the hub's outbound transport, handed to every connector
     * @param rateBudgets  the request budgets shared by all hub nodes, handed to every connector
     * @param config       how long unused connector instances stay live
     * @param metrics      where provider calls, refreshes, limiter waits and connections by status are counted
     */
    public static ConnectionsFeature register(Environment environment, Jdbi jdbi, Clock clock, SecureRandom random,
            SecretBox secretBox, ConnectorPlugins plugins, Integrations integrations, ProviderCalls http,
            SharedRateBudgets rateBudgets, ConnectionsConfig config, HubMetrics metrics) {
        ConnectionSecrets secrets = new ConnectionSecrets(secretBox);
        ConnectionContexts contexts = new ConnectionContexts(jdbi, secrets, clock, random, integrations, http,
                rateBudgets, new ConnectionMetrics(metrics, jdbi));
        ConnectorInstances instances = new ConnectorInstances(plugins, contexts, clock,
                config.getIdleInstanceTimeout());
        environment.lifecycle().manage(instances);
        ConnectionService service = new ConnectionService(jdbi, clock, contexts, instances, secrets, integrations);
        integrations.onChange(service::integrationChanged);
        environment.jersey().register(new ConnectionResource(service, new ConnectionViews(jdbi, plugins, contexts),
                jdbi));
        environment.lifecycle().manage(new RouteRederivation(plugins, service));
        environment.healthChecks().register("connections", new ConnectionsHealthCheck(jdbi));
        ConnectionStatusGauges.register(environment.metrics(), jdbi);
        return new ConnectionsFeature(contexts, instances, service);
    }

    public ConnectionContexts contexts() {
        return contexts;
    }

    public ConnectorInstances instances() {
        return instances;
    }

    public ConnectionService service() {
        return service;
    }
}
