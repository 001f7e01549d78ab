package io.bookinghub.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.spi.webhook.WebhookRoute;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook routing as the connector declares it (by account, by URL, by a header or query parameter), on PostgreSQL. */
class WebhookRoutingTest {
    private static final String SECRET = "whsec-routing-0123456789";
    private static final Jdbi JDBI = TestDatabase.createMigrated().jdbi();

    private WebhookKit kit;
    private UUID business;
    private UUID connection;
    private String account;

    @BeforeEach
    void setUp() {
        kit = new WebhookKit(JDBI);
        business = kit.business();
        account = "acct-" + UUID.randomUUID();
        connection = kit.connection(business, account, SECRET, true);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        kit.close();
    }

    private static ErrorBody error(WebhookIntake.Reply reply) {
        return (ErrorBody) reply.body();
    }

    private long inbox(UUID business) {
        return kit.count("SELECT count(*) FROM webhook_inbox WHERE business_id = '" + business + "'");
    }

    /** A body naming no account (or a wrong one), signed with the connection's secret. */
    private WebhookIntake.Reply post(String bodyAccount, Map<String, List<String>> extraHeaders,
            Map<String, List<String>> query) {
        byte[] body = WebhookKit.event("e-" + UUID.randomUUID(), "appointment.updated", bodyAccount, "a-1", 1, "n")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new HashMap<>(kit.signed(SECRET, kit.clock.instant(), body));
        headers.putAll(extraHeaders);
        return kit.webhooks.intake().receive(WebhookKit.CONNECTOR, null, headers, "/connectors/acme/webhook", query,
                new ByteArrayInputStream(body));
    }

    @Test
    void byHeaderRoutesOnTheHeaderForAPayloadThatNamesNoAccount() {
        kit.factory.route = WebhookRoute.byHeader("X-Account-Id");
        assertThat(post(null, Map.of("x-account-id", List.of(account)), Map.of()).status()).isEqualTo(200);
        assertThat(inbox(business)).isEqualTo(1);

        // The payload naming the account does not help: this connector routes by the header.
        WebhookIntake.Reply missing = post(account, Map.of(), Map.of());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(error(missing).error()).isEqualTo(WebhookIntake.UNKNOWN_ACCOUNT);
        assertThat(error(missing).message()).contains("header X-Account-Id");
        WebhookIntake.Reply repeated = post(account, Map.of("X-Account-Id", List.of(account, "other")), Map.of());
        assertThat(repeated.status()).as("a repeated header names no single account").isEqualTo(401);
        assertThat(inbox(business)).isEqualTo(1);
    }

    @Test
    void byQueryParameterRoutesOnTheQuery() {
        kit.factory.route = WebhookRoute.byQueryParameter("account");
        assertThat(post(null, Map.of(), Map.of("account", List.of(account))).status()).isEqualTo(200);
        WebhookIntake.Reply unknown = post(null, Map.of(), Map.of("account", List.of("nobody")));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(error(unknown).message()).contains("query parameter account");
        assertThat(inbox(business)).isEqualTo(1);
    }

    @Test
    void byUrlRefusesTheSharedRouteAndTakesTheConnectionsOwn() {
        kit.factory.route = WebhookRoute.byUrl();
        WebhookIntake.Reply shared = post(account, Map.of(), Map.of());
        assertThat(shared.status()).isEqualTo(401);
        assertThat(error(shared).message()).contains("connection's own webhook URL");

        byte[] body = WebhookKit.event("e-own", "appointment.updated", null, "a-1", 1, "n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(kit.post(connection, body, kit.signed(SECRET, kit.clock.instant(), body)).status()).isEqualTo(200);
        assertThat(inbox(business)).isEqualTo(1);
    }

    @Test
    void twoEnabledConnectionsThatBothVerifyAreNeverChosenBetween() {
        // The schema keeps an account to one enabled connection; take that guard away to prove the intake does
        // not rely on it alone and never hands the request to whichever connection sorts first.
        JDBI.useHandle(h -> h.execute("DROP INDEX IF EXISTS connections_bound_account"));
        try {
            UUID otherBusiness = kit.business();
            kit.connection(otherBusiness, account, SECRET, true);
            WebhookIntake.Reply reply = post(account, Map.of(), Map.of());
            assertThat(reply.status()).isEqualTo(409);
            assertThat(error(reply).error()).isEqualTo(WebhookIntake.AMBIGUOUS_ROUTE);
            assertThat(inbox(business)).isZero();
            assertThat(inbox(otherBusiness)).isZero();
            assertThat(kit.count("SELECT count(*) FROM webhook_log WHERE reason LIKE 'AMBIGUOUS_ROUTE%'"))
                    .isEqualTo(1);
        } finally {
            JDBI.useHandle(h -> h.execute("UPDATE connections SET enabled = false WHERE account_id = '" + account
                    + "' AND business_id <> '" + business + "'"));
            JDBI.useHandle(h -> h.execute("CREATE UNIQUE INDEX connections_bound_account ON connections "
                    + "(connector_id, account_id) WHERE enabled AND account_id IS NOT NULL"));
        }
    }
}
