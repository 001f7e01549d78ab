package io.bookinghub.hub.appwebhooks;

import io.bookinghub.hub.changes.ChangeFeed;
import io.bookinghub.hub.crypto.SecretBox;
import io.bookinghub.hub.outbound.OutboundFeature;
import io.dropwizard.core.setup.Environment;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Outbound webhooks for apps: endpoints ({@code /v1/webhook-endpoints}), the outbox fed by the change feed, and this
 * node's fan-out and delivery workers, sending through the hub's one outbound client and policy.
 */
public final class AppWebhooksFeature {
    private AppWebhooksFeature() {
    }

    public static AppWebhookWorkers register(Environment environment, Jdbi jdbi, Clock clock, SecureRandom random,
            SecretBox secretBox, AppWebhooksConfig config, ChangeFeed feed, OutboundFeature outbound) {
        EndpointStore endpoints = new EndpointStore(jdbi, secretBox);
        DeliveryStore deliveries = new DeliveryStore(jdbi);
        AppWebhookWorkers workers = workers(jdbi, clock, config, feed, outbound, endpoints, deliveries);
        environment.lifecycle().manage(workers);
        environment.jersey().register(new WebhookEndpointsResource(clock, random, endpoints, deliveries, feed,
                outbound.policy()::refusal, config.getRotationOverlap().toJavaDuration()));
        return workers;
    }

    static AppWebhookWorkers workers(Jdbi jdbi, Clock clock, AppWebhooksConfig config, ChangeFeed feed,
            OutboundFeature outbound, EndpointStore endpoints, DeliveryStore deliveries) {
        return new AppWebhookWorkers(jdbi, clock, config, endpoints, deliveries,
                new Fanout(jdbi, clock, feed, endpoints, config.getFanoutBatchSize()),
                new Sender(outbound.http().transport(), config.getRequestTimeout().toJavaDuration()),
                "node-" + UUID.randomUUID());
    }
}
