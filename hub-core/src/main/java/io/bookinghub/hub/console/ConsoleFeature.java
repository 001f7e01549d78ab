package io.bookinghub.hub.console;

import io.bookinghub.hub.auth.ApiKeys;
import io.dropwizard.core.setup.Environment;
import java.security.SecureRandom;
import java.time.Clock;
import org.glassfish.jersey.media.multipart.MultiPartFeature;
import org.jdbi.v3.core.Jdbi;

/**
 * The admin console at {@code /console}: server-rendered pages for operators and salon owners, which read and
 * change the hub only through its own API (see {@link HubApiCalls}).
 */
public final class ConsoleFeature {
    private ConsoleFeature() {
    }

    public static void register(Environment environment, Jdbi jdbi, Clock clock, SecureRandom random,
            ConsoleConfig config, ApiKeys apiKeys) {
        ConsoleSessions sessions = new ConsoleSessions(jdbi, apiKeys, clock, random, config);
        HubApiCalls api = new HubApiCalls(environment::getJerseyServletContainer, environment.getObjectMapper());
        Pages pages = new Pages(sessions, api);
        environment.jersey().register(MultiPartFeature.class);
        environment.jersey().register(new SignInResource(sessions, pages));
        environment.jersey().register(new OperatorPages(pages));
        environment.jersey().register(new BusinessPages(pages, new ConsoleUploads(jdbi, clock,
                config.getMaxUploadBytes()), clock));
    }
}
