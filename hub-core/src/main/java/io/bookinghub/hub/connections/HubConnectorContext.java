package io.bookinghub.hub.connections;

import io.bookinghub.connector.ConnectorAudit;
import io.bookinghub.connector.ConnectorConfig;
import io.bookinghub.connector.ConnectorContext;
import io.bookinghub.connector.CredentialStore;
import io.bookinghub.connector.sync.RecordSink;
import java.time.Clock;
import java.time.ZoneId;
import java.util.random.RandomGenerator;

/** What the hub hands one connector instance. */
public record HubConnectorContext(String businessId, ZoneId businessTimeZone, ConnectorConfig config, Clock clock,
        RandomGenerator random, CredentialStore credentials, ConnectorAudit audit, RecordSink records)
        implements ConnectorContext {
}
