package io.bookinghub.hub.model;

import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** The shared model: its one writer ({@link RecordStore}) and the read routes over it, for admins and for apps. */
public final class ModelFeature {
    private ModelFeature() {
    }

    /** Registers the model's read routes; returns the store every writer of provider records uses. */
    public static RecordStore register(Environment environment, Jdbi jdbi, Clock clock) {
        ModelQueries queries = new ModelQueries(jdbi);
        environment.jersey().register(new ModelResource(jdbi, queries));
        environment.jersey().register(new ModelResource.App(jdbi, queries));
        return new RecordStore(jdbi, clock);
    }
}
