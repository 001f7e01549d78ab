package io.bookinghub.hub.changes;

import io.dropwizard.core.setup.Environment;
import org.jdbi.v3.core.Jdbi;

/**
 * The change feed: model-table triggers (migration V16) record every create, update and soft delete, whatever
 * wrote it; this feature serves them to apps and to the outbound webhooks.
 */
public final class ChangesFeature {
    private ChangesFeature() {
    }

    public static ChangeFeed register(Environment environment, Jdbi jdbi) {
        ChangeFeed feed = new ChangeFeed(jdbi);
        environment.jersey().register(new ChangesResource(feed));
        return feed;
    }
}
