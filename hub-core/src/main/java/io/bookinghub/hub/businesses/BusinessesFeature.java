package io.bookinghub.hub.businesses;

import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** Businesses (tenants): create, list and show. */
public final class BusinessesFeature {
    private BusinessesFeature() {
    }

    public static void register(Environment environment, Jdbi jdbi, Clock clock) {
        environment.jersey().register(new BusinessResource(jdbi, clock));
        environment.jersey().register(new BusinessResource.One(jdbi));
        environment.jersey().register(new BusinessResource.App(jdbi));
    }
}
