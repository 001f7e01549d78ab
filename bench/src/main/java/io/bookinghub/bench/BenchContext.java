package io.bookinghub.bench;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.sync.RecordSink;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.random.RandomGenerator;

/** What the hub would hand a connector, assembled from parts the bench controls. */
record BenchContext(
        String businessId,
        ZoneId businessTimeZone,
        ConnectorConfig config,
        Clock clock,
        RandomGenerator random,
        CredentialStore credentials,
        ConnectorAudit audit,
        RecordSink records) implements ConnectorContext {

    BenchContext {
        requireNonNull(businessId, "businessId is null");
        requireNonNull(businessTimeZone, "businessTimeZone is null");
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(random, "random is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(records, "records is null");
    }

    static BenchContext of(String businessId, ConnectorConfig config, CredentialStore credentials,
            ConnectorAudit audit, RecordSink records) {
        return new BenchContext(businessId, ZoneId.of("Europe/Warsaw"), config, Clock.systemUTC(),
                new SecureRandom(), credentials, audit, records);
    }

    /** The record would print the config; keep the (masked) config out anyway and name only the business. */
    @Override
    public String toString() {
        return "BenchContext[business=" + businessId + "]";
    }
}
