package io.bookinghub.hub.exports;

import io.dropwizard.core.setup.Environment;
import org.jdbi.v3.core.Jdbi;

/** Streaming CSV and NDJSON exports of a business's model, for apps ({@code /v1/.../exports}). */
public final class ExportsFeature {
    private ExportsFeature() {
    }

    public static void register(Environment environment, Jdbi jdbi) {
        environment.jersey().register(new ExportResource(jdbi, new Exports(jdbi, environment.getObjectMapper())));
    }
}
