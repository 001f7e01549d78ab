package io.bookinghub.hub.retention;

import io.bookinghub.hub.ratebudget.SharedRateBudgets;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** Purges audit and history rows past their retention, once across nodes (see {@link RetentionJob}). */
public final class RetentionFeature {
    private RetentionFeature() {
    }

    public static RetentionJob register(Environment environment, Jdbi jdbi, Clock clock, RetentionConfig config,
            SharedRateBudgets rateBudgets) {
        RetentionJob job = new RetentionJob(jdbi, clock, config, rateBudgets);
        environment.lifecycle().manage(job);
        return job;
    }
}
