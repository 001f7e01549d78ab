package io.bookinghub.hub.ratebudget;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.RateBudget;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every connector's {@link RateBudget}, kept by Bucket4j in PostgreSQL ({@code rate_budget_buckets}) so that all
 * hub nodes draw from one bucket per key. A reservation is one short transaction (the bucket's row is locked with
 * SELECT … FOR UPDATE, updated, committed); time comes from the hub's clock, so nodes must keep their clocks in
 * sync (NTP) as they must for leases anyway.
 *
 * <p>A bucket's row is named by the connector, the connector's key and the limit: a connector never touches
 * another's buckets, and a changed limit starts a fresh bucket instead of mixing two configurations. A bucket
 * whose row was not written for {@link #IDLE} past the time it needs to refill is expired and purged by
 * {@link #purgeExpired}.
 */
public final class SharedRateBudgets {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRateBudgets.class);
    /** How long an idle bucket's row is kept after it would be full again. */
    static final Duration IDLE = Duration.ofMinutes(10);

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    public SharedRateBudgets(DataSource dataSource, Clock clock) {
        requireNonNull(clock, "clock is null");
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(requireNonNull(dataSource, "dataSource is null"))
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_budget_buckets")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(IDLE))
                .clientClock(new ClockTime(clock))
                .build();
    }

    /** The budget a connector's contexts get: its keys are confined to the connector. */
    public RateBudget forConnector(String connectorId) {
        requireNonNull(connectorId, "connectorId is null");
        return (key, limit, permits) -> reserve(connectorId + "/" + requireNonNull(key, "key is null"), limit, permits);
    }

    private Duration reserve(String key, RateBudget.Limit limit, int permits) {
        requireNonNull(limit, "limit is null");
        if (permits < 1 || permits > limit.burst()) {
            throw new IllegalArgumentException("permits must be between 1 and the burst: " + permits);
        }
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.burst()).refillGreedy(1, limit.interval()))
                .build();
        try {
            long nanos = buckets.builder().build(key + "@" + limit.perSecond() + "/" + limit.burst(), () -> configuration)
                    .consumeIgnoringRateLimits(permits);
            return Duration.ofNanos(nanos);
        } catch (RuntimeException e) {
            // The library wraps SQL failures; their messages carry no bound values, but keep them out of errors.
            LOG.warn("Shared rate budget unavailable: {}", e.getClass().getName());
            throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "The shared rate budget is unavailable");
        }
    }

    /** Deletes up to {@code batch} expired buckets; returns how many. */
    public int purgeExpired(int batch) {
        return buckets.removeExpired(batch);
    }

    /** Bucket4j's time from the hub's clock (wall-clock based, as a bucket shared by several nodes needs). */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return Duration.between(Instant.EPOCH, clock.instant()).toNanos();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
