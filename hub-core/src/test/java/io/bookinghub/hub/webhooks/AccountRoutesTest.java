package io.bookinghub.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.testing.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing look-ups are cached for their time to live, and no longer. */
class AccountRoutesTest {
    private static final Jdbi JDBI = TestDatabase.createMigrated().jdbi();

    private final AtomicLong nanos = new AtomicLong();
    private WebhookKit kit;
    private UUID business;
    private String account;

    @BeforeEach
    void setUp() {
        kit = new WebhookKit(JDBI);
        business = kit.business();
        account = "acct-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        kit.close();
    }

    private AccountRoutes routes(Duration ttl) {
        return new AccountRoutes(new WebhookStore(JDBI), ttl, 1000, nanos::get);
    }

    @Test
    void answersAreKeptForTheTimeToLiveIncludingEmptyOnes() {
        AccountRoutes routes = routes(Duration.ofSeconds(2));
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).isEmpty();

        UUID first = kit.connection(business, account, "s-1", true);
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).as("cached empty answer").isEmpty();

        nanos.addAndGet(Duration.ofMillis(1999).toNanos());
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).isEmpty();
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).extracting(ConnectionRow::id)
                .containsExactly(first);

        // An account is bound to one enabled connection; a disabled one keeps it to file its events as UNROUTED.
        UUID second = kit.connection(kit.business(), account, "s-2", false);
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).extracting(ConnectionRow::id)
                .containsExactly(first);
        routes.invalidateAll();
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).extracting(ConnectionRow::id)
                .containsExactly(first, second);
    }

    @Test
    void aZeroTimeToLiveReadsTheDatabaseEveryTime() {
        AccountRoutes routes = routes(Duration.ZERO);
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).isEmpty();
        UUID id = kit.connection(business, account, "s-1", true);
        assertThat(routes.connections(WebhookKit.CONNECTOR, account)).extracting(ConnectionRow::id).containsExactly(id);
    }
}
