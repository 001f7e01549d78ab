package io.bookinghub.hub.webhooks;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * After a plugin upgrade the stored webhook routing account is derived again at start, not kept until the
 * connection is saved: real hub restarts on one real PostgreSQL.
 */
class WebhookRouteRederivationTest {

    private static String accountOf(TestDatabase db, UUID business) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT account_id FROM connections WHERE business_id = :b")
                .bind("b", business).mapTo(String.class).one());
    }

    @Test
    void aRoutingAccountAnOlderPluginDerivedIsDerivedAgainAtStartAndWebhooksFollowIt() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        Path plugins = Files.createTempDirectory("plugins");
        TestPlugins.buildZip(plugins, "hooky", "com.example.hooky", WebhookApiTest.pluginSource());
        // PF4J 3.15 needs a second plugin to stop cleanly (pf4j#656).
        TestPlugins.buildZip(plugins, "echo", "com.example.echo",
                TestPlugins.connectorSource("com.example.echo", "echo", TestPlugins.standardDescriptor("echo")));
        Path var = Files.createTempDirectory("var");
        Map<String, String> env = HubTestApp.environment();

        DropwizardAppExtension<HubConfiguration> first = HubTestApp.extension(db, plugins, var, env);
        first.before();
        UUID business;
        String account = "acct-" + UUID.randomUUID();
        try {
            HubApi api = new HubApi(first);
            business = api.createBusiness("Upgraded");
            Response r = api.call("/admin/businesses/" + business + "/connections/hooky", ADMIN_TOKEN).put(Entity.json(
                    Map.of("config", Map.of("account", account, "webhookSecret", "secret-upgrade"))));
            assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(200);
            JsonNode view = HubApi.json(api.call("/admin/businesses/" + business + "/connections/hooky", ADMIN_TOKEN)
                    .get(), 200);
            assertThat(view.get("webhookRoute").asText()).isEqualTo("BY_ACCOUNT");
            assertThat(view.get("webhookUrl").asText()).isEqualTo("/connectors/hooky/webhook");
        } finally {
            first.after();
        }
        // What an older version of the plugin left behind: another form of the account, derived by 0.9.0.
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE connections SET account_id = :old, "
                + "account_derived_by = '0.9.0' WHERE business_id = :b").bind("old", "legacy:" + account)
                .bind("b", business).execute());

        DropwizardAppExtension<HubConfiguration> second = HubTestApp.extension(db, plugins, var, env);
        second.before();
        try {
            for (int i = 0; i < 400 && !account.equals(accountOf(db, business)); i++) {
                Thread.sleep(50);
            }
            assertThat(accountOf(db, business)).isEqualTo(account);
            String derivedBy = db.jdbi().withHandle(h -> h.createQuery("SELECT account_derived_by FROM connections "
                    + "WHERE business_id = :b").bind("b", business).mapTo(String.class).one());
            assertThat(derivedBy).isEqualTo("1.0.0");

            byte[] body = ("{\"id\":\"up-1\",\"type\":\"appointment.updated\",\"account\":\"" + account
                    + "\",\"appointment\":\"ap-1\",\"version\":1}").getBytes(StandardCharsets.UTF_8);
            Response routed = new HubApi(second).target("/connectors/hooky/webhook").request()
                    .header("Webhook-Signature", WebhookSigner.timestampedHeader("secret-upgrade", Instant.now(), body))
                    .post(Entity.entity(body, "application/json"));
            assertThat(routed.getStatus()).as(routed.readEntity(String.class)).isEqualTo(200);
        } finally {
            second.after();
        }
    }
}
