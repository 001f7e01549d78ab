package io.bookinghub.hub.ratebudget;

import io.bookinghub.hub.db.DatabaseConfig;
import io.bookinghub.hub.db.HubDatabase;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.time.Clock;

/** The request budgets every hub node shares (see {@link SharedRateBudgets}); handed to connectors' contexts. */
public final class RateBudgetFeature {
    /** Connections of the budget's own pool: a reservation is one short transaction. */
    private static final int POOL_SIZE = 4;

    private RateBudgetFeature() {
    }

    /**
     * The budget gets a small connection pool of its own: Bucket4j turns auto-commit off on the connections it
     * borrows and hands them back that way, which would leave the next Jdbi user of a shared pool inside a
     * transaction that never commits.
     */
    public static SharedRateBudgets register(Environment environment, HubDatabase database, DatabaseConfig config,
            Clock clock) {
        DataSourceFactory factory = database.dataSourceFactory(config);
        factory.setMaxSize(POOL_SIZE);
        factory.setMinSize(1);
        factory.setInitialSize(1);
        ManagedDataSource pool = factory.build(environment.metrics(), "rate-budget");
        environment.lifecycle().manage(pool);
        return new SharedRateBudgets(pool, clock);
    }
}
