package io.bookinghub.hub;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.bookinghub.hub.api.ConnectorExceptionMapper;
import io.bookinghub.hub.auth.ApiKeyAuthenticator;
import io.bookinghub.hub.auth.ApiKeys;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.cli.DbCommand;
import io.bookinghub.hub.cli.MigrateCommand;
import io.bookinghub.hub.cli.ReencryptCommand;
import io.bookinghub.hub.connections.ConnectionContexts;
import io.bookinghub.hub.connections.ConnectionService;
import io.bookinghub.hub.connections.ConnectorInstances;
import io.bookinghub.hub.connections.SecretMaps;
import io.bookinghub.hub.crypto.KeyRingLoader;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.db.HubDatabase;
import io.bookinghub.hub.db.Migrations;
import io.bookinghub.hub.health.ConnectionsHealthCheck;
import io.bookinghub.hub.oauth.OAuthResource;
import io.bookinghub.hub.oauth.OAuthStates;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.PluginsHealthCheck;
import io.bookinghub.hub.records.JdbiRecordSink;
import io.bookinghub.hub.resources.ApiKeyResource;
import io.bookinghub.hub.resources.BusinessResource;
import io.bookinghub.hub.resources.ConnectionResource;
import io.bookinghub.hub.resources.ConnectorResource;
import io.bookinghub.hub.resources.BusinessDataResource;
import io.bookinghub.hub.records.ModelQueries;
import io.bookinghub.hub.resources.SyncResource;
import io.bookinghub.hub.sync.SyncScheduler;
import io.bookinghub.hub.sync.SyncService;
import io.bookinghub.hub.webhooks.WebhookConnectors;
import io.bookinghub.hub.webhooks.Webhooks;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.JSONUnauthorizedHandler;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Function;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The hub: plain constructor wiring of database, plugins, services and resources. */
public class HubApplication extends Application<HubConfiguration> {
    private final Clock clock;
    private final Function<String, String> environment;
    private volatile ApiKeys apiKeys;

    public HubApplication() {
        this(Clock.systemUTC(), System::getenv);
    }

    /** Tests supply their own clock and environment. */
    public HubApplication(Clock clock, Function<String, String> environment) {
        this.clock = clock;
        this.environment = environment;
    }

    /** The API keys service, once {@link #run} has wired it (used by the demo command). */
    public ApiKeys apiKeys() {
        if (apiKeys == null) {
            throw new IllegalStateException("the hub is not running");
        }
        return apiKeys;
    }

    public static void main(String[] args) throws Exception {
        new HubApplication().run(args);
    }

    @Override
    public String getName() {
        return "booking-hub";
    }

    @Override
    public void initialize(Bootstrap<HubConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addCommand(new DbCommand(new MigrateCommand(), new ReencryptCommand()));
        // ISO-8601 instants in every response, not epoch numbers.
        bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Override
    public void run(HubConfiguration config, Environment environment) {
        SecureRandom random = new SecureRandom();

        HubDatabase database = HubDatabase.open(config.getDatabase());
        environment.lifecycle().manage(database);
        if (config.getDatabase().isMigrateOnStart()) {
            Migrations.migrate(database);
        }
        Jdbi jdbi = new JdbiFactory().build(environment, database.dataSourceFactory(config.getDatabase()),
                "postgresql");
        jdbi.installPlugin(new PostgresPlugin());

        SecretBox secretBox = KeyRingLoader.load(config.getSecurity(), random);
        SecretMaps secretMaps = new SecretMaps(secretBox);

        ConnectorPlugins plugins = new ConnectorPlugins(config.getPlugins().getDirectory());
        plugins.load();
        environment.lifecycle().manage(plugins);

        ConnectionContexts contexts = new ConnectionContexts(jdbi, secretMaps, clock, random, this.environment,
                (businessId, connectorId, run) -> new JdbiRecordSink(jdbi, clock, businessId, connectorId, run));
        ConnectorInstances instances = new ConnectorInstances(plugins, contexts);
        environment.lifecycle().manage(instances);
        ConnectionService connections = new ConnectionService(jdbi, clock, plugins, contexts, instances, secretMaps,
                this.environment);

        ApiKeys apiKeys = new ApiKeys(jdbi, clock, random);
        this.apiKeys = apiKeys;
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(apiKeys);
        environment.jersey().register(new AuthDynamicFeature(new OAuthCredentialAuthFilter.Builder<HubPrincipal>()
                .setAuthenticator(authenticator)
                .setAuthorizer(authenticator)
                .setPrefix("Bearer")
                .setRealm("booking-hub")
                .setUnauthorizedHandler(new JSONUnauthorizedHandler())
                .buildAuthFilter()));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(HubPrincipal.class));

        environment.jersey().register(new ConnectorExceptionMapper());
        environment.jersey().register(new ConnectorResource(plugins));
        environment.jersey().register(new BusinessResource(jdbi, clock));
        environment.jersey().register(new ConnectionResource(connections));
        environment.jersey().register(new ApiKeyResource(jdbi, apiKeys, clock));
        environment.jersey().register(new BusinessDataResource(jdbi, new ModelQueries(jdbi)));

        // --- OAuth connect routes (shared by every OAUTH_CONNECT connector) ---
        environment.jersey().register(new OAuthResource(jdbi, clock, connections, instances,
                new OAuthStates(jdbi, secretBox, clock, random,
                        config.getOauth().getStateTtl())));
        // --- end OAuth ---

        // --- webhooks: intake route, group-commit writer, inbox workers, admin view ---
        Webhooks webhooks = Webhooks.register(environment, jdbi, clock, config.getWebhooks(),
                WebhookConnectors.of(plugins, instances, contexts),
                (businessId, connectorId) -> new JdbiRecordSink(jdbi, clock, businessId, connectorId, null));
        instances.onChange(webhooks::connectionsChanged);
        // --- end webhooks ---

        // --- sync engine: runs, schedule, admin routes (stopped before instances and the database) ---
        SyncService syncService = new SyncService(jdbi, clock, config.getSync(), SyncService.Connectors.of(instances));
        environment.lifecycle().manage(syncService);
        environment.lifecycle().manage(new SyncScheduler(jdbi, clock, config.getSync(), syncService));
        SyncResource.all(syncService, config.getSync()).forEach(environment.jersey()::register);
        // --- end sync engine ---

        // --- file imports: uploads to FILE_IMPORT connectors, run as IMPORT runs of the sync engine ---
        environment.jersey().register(new io.bookinghub.hub.resources.ImportResource(syncService,
                config.getImports()));
        // --- end file imports ---

        environment.healthChecks().register("plugins", new PluginsHealthCheck(plugins));
        environment.healthChecks().register("connections", new ConnectionsHealthCheck(jdbi));

        apiKeys.bootstrap(config.getSecurity().getAdminToken()).ifPresent(HubApplication::printGeneratedToken);
    }

    // Printed to the console once, never logged: log files are kept and shipped, a terminal is not.
    private static void printGeneratedToken(String token) {
        System.out.println();
        System.out.println("==================================================================");
        System.out.println(" No hub-admin key existed, so one was generated. It is shown ONCE:");
        System.out.println();
        System.out.println("   " + token);
        System.out.println();
        System.out.println(" Use it as: Authorization: Bearer <key>. Set HUB_ADMIN_TOKEN to");
        System.out.println(" choose your own instead.");
        System.out.println("==================================================================");
        System.out.println();
    }
}
