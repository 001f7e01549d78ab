package io.bookinghub.hub.oauth;

import io.bookinghub.hub.connections.ConnectionsFeature;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.metrics.HubMetrics;
import io.dropwizard.core.setup.Environment;
import java.security.SecureRandom;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The OAuth connect routes shared by every OAUTH_CONNECT connector: start, one-time connect links, and the
 * provider's callback.
 */
public final class OAuthFeature {
    private OAuthFeature() {
    }

    public static void register(Environment environment, Jdbi jdbi, Clock clock, SecureRandom random,
            SecretBox secretBox, OAuthConfig config, ConnectionsFeature connections, HubMetrics metrics) {
        OAuthStates states = new OAuthStates(jdbi, secretBox, clock, random, config.getStateTtl());
        ConnectLinks links = new ConnectLinks(jdbi, clock, random, config.getLinkTtl());
        environment.jersey().register(new OAuthResource(jdbi, clock, connections.service(),
                connections.instances(), states, links, new OAuthMetrics(metrics)));
        environment.jersey().register(new ConnectLinkResource(connections.service(), connections.instances(),
                links, config.publicBaseUrl()));
    }
}
