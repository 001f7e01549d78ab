package io.bookinghub.hub.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorDescriptor;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Live instances move only forward: a row read from a short-lived cache never replaces a newer instance. */
class ConnectorInstancesTest {
    private static final UUID ID = UUID.randomUUID();

    private static ConnectionRow row(Instant updatedAt) {
        return new ConnectionRow(ID, UUID.randomUUID(), "acme", true, "{}", null, null, "ACTIVE", null, null, null,
                null, Instant.EPOCH, updatedAt);
    }

    @Test
    void anOlderRowGetsTheLiveInstanceAndLocalChangesAreAnnounced() {
        AtomicInteger changes = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        BookingConnector live = new BookingConnector() {
            @Override
            public ConnectorDescriptor descriptor() {
                throw new UnsupportedOperationException("not needed here");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        // No plugins: creating an instance would fail, so only the live one can be returned.
        ConnectorInstances instances = new ConnectorInstances(null, null);
        instances.onChange(changes::incrementAndGet);

        instances.put(row(Instant.parse("2030-01-01T10:00:05Z")), live);
        assertThat(instances.get(row(Instant.parse("2030-01-01T10:00:00Z")))).isSameAs(live);
        assertThat(instances.get(row(Instant.parse("2030-01-01T10:00:05Z")))).isSameAs(live);
        assertThat(closed).hasValue(0);

        instances.remove(ID);
        assertThat(closed).hasValue(1);
        assertThat(changes).hasValue(2);
    }
}
