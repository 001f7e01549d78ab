package io.bookinghub.hub.connections;

import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.RateBudget;
import io.bookinghub.spi.http.OutboundHttp;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** What the hub hands one connector instance. */
public record HubConnectorContext(String businessId, ZoneId businessTimeZone, Optional<String> accountId,
        ConnectorConfig config, Clock clock,
        RandomGenerator random, CredentialStore credentials, RateBudget rateBudget, ConnectorAudit audit,
        OutboundHttp http)
        implements ConnectorContext {
}
