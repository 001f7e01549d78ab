package io.bookinghub.hub.cli;

import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.db.HubDatabase;
import io.bookinghub.hub.db.Migrations;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.output.MigrateResult;

/** {@code db migrate config.yml}: applies pending migrations and exits. */
public final class MigrateCommand extends ConfiguredCommand<HubConfiguration> {
    public MigrateCommand() {
        super("migrate", "Apply pending database migrations and exit");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
    }

    @Override
    protected void run(Bootstrap<HubConfiguration> bootstrap, Namespace namespace, HubConfiguration configuration)
            throws Exception {
        HubDatabase database = HubDatabase.open(configuration.getDatabase());
        try {
            MigrateResult result = Migrations.migrate(database);
            System.out.printf("Database schema at version %s (%d migration(s) applied)%n",
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } finally {
            database.stop();
        }
    }
}
