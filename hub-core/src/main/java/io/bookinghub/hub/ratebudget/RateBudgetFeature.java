package io.bookinghub.hub.ratebudget;

import java.time.Clock;
import javax.sql.DataSource;

/** The request budgets every hub node shares (see {@link SharedRateBudgets}); handed to connectors' contexts. */
public final class RateBudgetFeature {
    private RateBudgetFeature() {
    }

    public static SharedRateBudgets register(DataSource dataSource, Clock clock) {
        return new SharedRateBudgets(dataSource, clock);
    }
}
