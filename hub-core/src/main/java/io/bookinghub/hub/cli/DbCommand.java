package io.bookinghub.hub.cli;

import io.bookinghub.hub.HubConfiguration;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.util.Map;
import java.util.TreeMap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code db <subcommand>}: database maintenance (migrate, reencrypt). */
public final class DbCommand extends Command {
    private static final String SUBCOMMAND = "db-subcommand";
    private final Map<String, ConfiguredCommand<HubConfiguration>> subcommands = new TreeMap<>();

    @SafeVarargs
    public DbCommand(ConfiguredCommand<HubConfiguration>... commands) {
        super("db", "Database maintenance");
        for (ConfiguredCommand<HubConfiguration> command : commands) {
            subcommands.put(command.getName(), command);
        }
    }

    @Override
    public void configure(Subparser subparser) {
        for (ConfiguredCommand<HubConfiguration> command : subcommands.values()) {
            Subparser sub = subparser.addSubparsers().addParser(command.getName()).setDefault(SUBCOMMAND,
                    command.getName()).description(command.getDescription());
            command.configure(sub);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        subcommands.get(namespace.getString(SUBCOMMAND)).run((Bootstrap<HubConfiguration>) bootstrap, namespace);
    }
}
