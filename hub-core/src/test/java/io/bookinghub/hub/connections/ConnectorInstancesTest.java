package io.bookinghub.hub.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Live instances move only forward (a row read from a short-lived cache never replaces a newer instance), and an
 * instance is closed only once nobody uses it: not under a running sync, and idle ones are evicted.
 */
class ConnectorInstancesTest {
    private static final UUID ID = UUID.randomUUID();
    private static final Duration IDLE = Duration.ofMinutes(30);
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private final AtomicInteger closed = new AtomicInteger();

    /** No plugins: creating an instance would fail, so only installed ones can be returned. */
    private ConnectorInstances instances() {
        return new ConnectorInstances(null, null, clock, IDLE);
    }

    private BookingConnector connector() {
        return new BookingConnector() {
            @Override
            public ConnectorDescriptor descriptor() {
                throw new UnsupportedOperationException("not needed here");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    private static ConnectionRow row(Instant updatedAt) {
        return new ConnectionRow(ID, UUID.randomUUID(), "acme", true, "{}", null, null, "ACTIVE", null, null, null,
                null, Instant.EPOCH, updatedAt);
    }

    @Test
    void anOlderRowGetsTheLiveInstanceAndLocalChangesAreAnnounced() {
        AtomicInteger changes = new AtomicInteger();
        BookingConnector live = connector();
        ConnectorInstances instances = instances();
        instances.onChange(changes::incrementAndGet);

        instances.put(row(Instant.parse("2030-01-01T10:00:05Z")), live);
        assertThat(instances.get(row(Instant.parse("2030-01-01T10:00:00Z")))).isSameAs(live);
        assertThat(instances.get(row(Instant.parse("2030-01-01T10:00:05Z")))).isSameAs(live);
        assertThat(closed).hasValue(0);

        instances.remove(ID);
        assertThat(changes).hasValue(2);
        assertThat(closed).as("just handed out: a caller may still hold it").hasValue(0);
        clock.advance(ConnectorInstances.RETIRED_GRACE.plusSeconds(1));
        instances.sweep();
        assertThat(closed).hasValue(1);
        instances.sweep();
        assertThat(closed).as("closed once").hasValue(1);
    }

    @Test
    void aReplacedInstanceStaysOpenUntilTheSyncUsingItReturns() {
        ConnectorInstances instances = instances();
        BookingConnector first = connector();
        instances.put(row(clock.instant()), first);
        String result = instances.use(row(clock.instant()), connector -> {
            // A configuration change replaces the instance in the middle of a long sync.
            instances.put(row(clock.instant().plusSeconds(1)), connector());
            clock.advance(Duration.ofMinutes(20));
            instances.sweep();
            assertThat(closed).as("not closed under the running sync").hasValue(0);
            return "synced";
        });
        assertThat(result).isEqualTo("synced");
        clock.advance(ConnectorInstances.RETIRED_GRACE.plusSeconds(1));
        instances.sweep();
        assertThat(closed).as("the replaced one, once released; the new one is in use since the put").hasValue(1);
        assertThat(instances.open()).isEqualTo(1);
    }

    @Test
    void anIdleInstanceIsEvictedAndClosed() {
        ConnectorInstances instances = instances();
        instances.put(row(clock.instant()), connector());
        clock.advance(IDLE.minusMinutes(1));
        instances.sweep();
        assertThat(instances.open()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        instances.sweep();
        assertThat(closed).hasValue(1);
        assertThat(instances.open()).isZero();
    }
}
