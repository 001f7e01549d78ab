package io.bookinghub.hub;

import com.fasterxml.jackson.databind.SerializationFeature;
import freemarker.template.Configuration;
import io.bookinghub.hub.api.ApiFeature;
import io.bookinghub.hub.api.InstantJson;
import io.bookinghub.hub.appwebhooks.AppWebhooksFeature;
import io.bookinghub.hub.auth.ApiKeys;
import io.bookinghub.hub.auth.AuthFeature;
import io.bookinghub.hub.bookings.BookingsFeature;
import io.bookinghub.hub.businesses.BusinessesFeature;
import io.bookinghub.hub.changes.ChangeFeed;
import io.bookinghub.hub.changes.ChangesFeature;
import io.bookinghub.hub.cli.DbCommand;
import io.bookinghub.hub.cli.MigrateCommand;
import io.bookinghub.hub.cli.ReencryptCommand;
import io.bookinghub.hub.connections.ConnectionsFeature;
import io.bookinghub.hub.console.ConsoleFeature;
import io.bookinghub.hub.crypto.KeyRingLoader;
import io.bookinghub.hub.crypto.MissingKeys;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.db.HubDatabase;
import io.bookinghub.hub.db.Migrations;
import io.bookinghub.hub.db.MigrationsHealthCheck;
import io.bookinghub.hub.exports.ExportsFeature;
import io.bookinghub.hub.health.HealthFeature;
import io.bookinghub.hub.imports.ImportsFeature;
import io.bookinghub.hub.integrations.Integrations;
import io.bookinghub.hub.integrations.IntegrationsFeature;
import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.metrics.MetricsFeature;
import io.bookinghub.hub.model.ModelFeature;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.oauth.OAuthFeature;
import io.bookinghub.hub.openapi.OpenApiFeature;
import io.bookinghub.hub.outbound.OutboundFeature;
import io.bookinghub.hub.plugins.ConnectorPlugins;
import io.bookinghub.hub.plugins.PluginsFeature;
import io.bookinghub.hub.ratebudget.RateBudgetFeature;
import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.bookinghub.hub.retention.RetentionFeature;
import io.bookinghub.hub.sync.RunLedger;
import io.bookinghub.hub.sync.SyncFeature;
import io.bookinghub.hub.tracing.HubTracing;
import io.bookinghub.hub.tracing.TracingFeature;
import io.bookinghub.hub.webhooks.WebhookConnectors;
import io.bookinghub.hub.webhooks.WebhooksFeature;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.views.common.ViewBundle;
import io.dropwizard.views.freemarker.FreemarkerViewRenderer;
import io.opentelemetry.api.OpenTelemetry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The hub: the database, then each feature's {@code register}, in plain constructor wiring. */
public class HubApplication extends Application<HubConfiguration> {
    private final Clock clock;
    private final Function<String, String> environment;
    private final OpenTelemetry openTelemetry;
    private volatile ApiKeys apiKeys;

    public HubApplication() {
        this(Clock.systemUTC(), System::getenv);
    }

    /** Tests supply their own clock and environment. */
    public HubApplication(Clock clock, Function<String, String> environment) {
        this(clock, environment, null);
    }

    /**
     * @param openTelemetry where spans go (tests pass an SDK with an in-memory exporter), or null for what the
     *                      {@code OTEL_*} variables of {@code environment} configure (off when none is set)
     */
    public HubApplication(Clock clock, Function<String, String> environment, OpenTelemetry openTelemetry) {
        this.clock = clock;
        this.environment = environment;
        this.openTelemetry = openTelemetry;
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
        bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .registerModule(InstantJson.module());
        // The console's pages: FreeMarker with HTML auto-escaping (.ftlh).
        bootstrap.addBundle(new ViewBundle<>(List.of(new FreemarkerViewRenderer(Configuration.VERSION_2_3_33))));
    }

    @Override
    public void run(HubConfiguration config, Environment environment) {
        SecureRandom random = new SecureRandom();
        environment.lifecycle().addEventListener(new RequestLogStatus());
        HubMetrics metrics = MetricsFeature.register(environment);
        HubTracing tracing = TracingFeature.register(environment, openTelemetry, this.environment);

        // The embedded PostgreSQL starts as a separate process and mostly waits on the disk: the plugins (the
        // largest CPU cost of start-up) load meanwhile. Its own exit hook stops it if start-up fails before the
        // lifecycle takes it over.
        CompletableFuture<HubDatabase> starting = CompletableFuture.supplyAsync(() -> {
            HubDatabase opened = HubDatabase.open(config.getDatabase());
            if (config.getDatabase().isMigrateOnStart()) {
                Migrations.migrate(opened);
            }
            return opened;
        }, runnable -> new Thread(runnable, "database-start").start());
        ConnectorPlugins plugins = PluginsFeature.load(config.getPlugins());
        HubDatabase database = HubDatabase.await(starting);
        environment.lifecycle().manage(database);
        Jdbi jdbi = HubDatabase.withoutBoundValuesInErrors(new JdbiFactory().build(environment,
                database.dataSourceFactory(config.getDatabase()), "postgresql"));
        jdbi.installPlugin(new PostgresPlugin());
        database.checkDurability(jdbi);
        SecretBox secretBox = KeyRingLoader.load(config.getSecurity(), random);
        MissingKeys.warnAtStart(jdbi, secretBox);
        environment.healthChecks().register("migrations", new MigrationsHealthCheck(database));
        HealthFeature.register(environment);

        ApiFeature.register(environment, config.getServerFactory(), random, metrics, tracing);
        // Each feature registers its routes, lifecycle and health checks. Dropwizard stops managed objects in
        // reverse order, so services registered later stop before the instances and the database they use.
        AuthFeature.Registered auth = AuthFeature.register(environment, jdbi, clock, random, config.getSecurity());
        this.apiKeys = auth.apiKeys();
        PluginsFeature.register(environment, plugins);
        BusinessesFeature.register(environment, jdbi, clock);
        RecordStore records = ModelFeature.register(environment, jdbi, clock);
        ExportsFeature.register(environment, jdbi);
        OutboundFeature outbound = OutboundFeature.register(environment, config.getOutbound(), metrics, tracing);
        ChangeFeed changes = ChangesFeature.register(environment, jdbi);
        Integrations integrations = IntegrationsFeature.register(environment, jdbi, clock, secretBox, plugins,
                config.getIntegrations(), this.environment, outbound.policy()::refusal);
        SharedRateBudgets rateBudgets = RateBudgetFeature.register(environment, database, config.getDatabase(), clock);
        ConnectionsFeature connections = ConnectionsFeature.register(environment, jdbi, clock, random, secretBox,
                plugins, integrations, outbound.http(), rateBudgets, config.getConnections(), metrics);
        OAuthFeature.register(environment, jdbi, clock, random, secretBox, config.getOauth(), connections, metrics);
        WebhooksFeature webhooks = WebhooksFeature.register(environment, jdbi, clock, config.getWebhooks(),
                WebhookConnectors.of(plugins, connections.instances(), connections.contexts()), records, metrics,
                tracing);
        connections.instances().onChange(webhooks::connectionsChanged);
        RunLedger ledger = SyncFeature.register(environment, jdbi, clock, config.getSync(), connections, records,
                metrics, tracing);
        ImportsFeature.register(environment, config.getImports(), connections, ledger, records);
        BookingsFeature.register(environment, jdbi, clock, config.getBookings(),
                config.getOutbound().getMaxRequestTimeout(), connections.instances(), records);
        AppWebhooksFeature.register(environment, jdbi, clock, random, secretBox, config.getAppWebhooks(), changes,
                outbound);
        RetentionFeature.register(environment, jdbi, clock, config.getRetention(), rateBudgets);
        ConsoleFeature.register(environment, jdbi, clock, random, config.getConsole(), auth.apiKeys());
        // Describes whatever routes the features above registered, read when first asked for.
        OpenApiFeature.register(environment);

        auth.generatedAdminKey().ifPresent(HubApplication::printGeneratedToken);
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
