package io.bookinghub.hub.sync;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sync admin API end to end: real HTTP, a real PF4J connector plugin, real PostgreSQL. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SyncApiTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final Path PLUGINS;
    private static final Path VAR;

    /** A connector whose "provider" is its own configuration: clients=id=name;id=name (empty name = malformed). */
    private static final String FEED_SOURCE = """
            package com.example.feed;

            import io.bookinghub.spi.*;
            import io.bookinghub.spi.sync.*;
            import io.bookinghub.model.*;
            import java.time.Duration;
            import java.util.*;

            @org.pf4j.Extension
            public class TestConnectorFactory implements BookingConnectorFactory {
                static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("feed", "Feed", "1.0.0",
                        "reads clients from its configuration", EnumSet.of(Capability.FULL_SYNC, Capability.INCREMENTAL_SYNC),
                        List.of(ConfigProperty.builder("clients", ConfigType.STRING).perConnection().description("id=name;...").build(),
                                ConfigProperty.builder("behavior", ConfigType.ENUM).perConnection().allowedValues("ok", "fail", "block")
                                        .defaultValue("ok").description("what a sync does").build()));

                @Override
                public ConnectorDescriptor descriptor() {
                    return DESCRIPTOR;
                }

                @Override
                public BookingConnector create(ConnectorContext context) {
                    return new BookingConnector() {
                        @Override
                        public ConnectorDescriptor descriptor() {
                            return DESCRIPTOR;
                        }

                        @Override
                        public SyncResult sync(SyncRequest request, SyncSink sink) {
                            String behavior = context.config().get("behavior").orElse("ok");
                            context.audit().apiCall(new ConnectorAudit.ApiCall("GET", "/v1/clients?access_token=hidden",
                                    200, Duration.ofMillis(12), 1, null, context.clock().instant()));
                            if (behavior.equals("block")) {
                                long deadline = System.nanoTime() + 60_000_000_000L;
                                while (!sink.cancelled() && System.nanoTime() < deadline) {
                                    sink.progress("clients", 1, 10);
                                    try {
                                        Thread.sleep(10);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        break;
                                    }
                                }
                                return SyncResult.partial("stopped waiting");
                            }
                            for (String entry : context.config().get("clients").orElse("").split(";")) {
                                if (entry.isBlank()) {
                                    continue;
                                }
                                String[] kv = entry.split("=", 2);
                                if (kv.length < 2 || kv[1].isBlank()) {
                                    sink.skipped(RecordKind.CLIENT, kv[0], "client without a name");
                                    continue;
                                }
                                sink.upsert(new Client(new ExternalRef("feed", kv[0]), kv[1], null, null, null, null));
                            }
                            if (behavior.equals("fail")) {
                                throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "provider answered 503");
                            }
                            return SyncResult.completed();
                        }
                    };
                }
            }
            """;

    static {
        try {
            PLUGINS = Files.createTempDirectory("plugins");
            VAR = Files.createTempDirectory("var");
            TestPlugins.buildZip(PLUGINS, "feed", "com.example.feed", FEED_SOURCE);
            // pf4j 3.15.0's stopPlugins() throws ConcurrentModificationException at shutdown when exactly one
            // plugin is started (it removes from the list it iterates); a second plugin sidesteps that.
            TestPlugins.buildZip(PLUGINS, "echo", "com.example.echo",
                    TestPlugins.connectorSource("com.example.echo", "echo", TestPlugins.standardDescriptor("echo")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB, PLUGINS, VAR,
            HubTestApp.environment(), ConfigOverride.config("sync.schedulerEnabled", "false"));
    private static final HubApi API = new HubApi(APP);

    private static String configure(UUID business, String clients, String behavior) {
        String base = "/admin/businesses/" + business + "/connections/feed";
        Response r = API.call(base, ADMIN_TOKEN).put(Entity.json(Map.of("config",
                Map.of("clients", clients, "behavior", behavior))));
        assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(200);
        return base;
    }

    private static JsonNode syncAndWait(String base, String mode) {
        Map<String, String> body = new LinkedHashMap<>();
        if (mode != null) {
            body.put("mode", mode);
        }
        Response r = API.call(base + "/sync?wait=true", ADMIN_TOKEN).post(Entity.json(body));
        JsonNode run = HubApi.json(r);
        assertThat(r.getStatus()).as(run.toString()).isEqualTo(200);
        return run;
    }

    private static JsonNode awaitFinished(String base, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode run = HubApi.json(API.call(base + "/sync-runs/" + runId, ADMIN_TOKEN).get()).get("run");
            if (!run.get("status").asText().equals("RUNNING") || System.nanoTime() > deadline) {
                return run;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void fullSyncWithSkipsThenSoftDeleteThenIncrementalByDefault() {
        UUID business = API.createBusiness("Sync Salon");
        String base = configure(business, "c1=Alice;c2=Bob;c3=", "ok");

        JsonNode first = syncAndWait(base, "FULL");
        assertThat(first.get("status").asText()).isEqualTo("PARTIAL");
        assertThat(first.get("mode").asText()).isEqualTo("FULL");
        assertThat(first.get("trigger").asText()).isEqualTo("admin");
        assertThat(first.get("createdCount").asLong()).isEqualTo(2);
        assertThat(first.get("skippedCount").asLong()).isEqualTo(1);
        assertThat(first.get("durationMs").isNumber()).isTrue();

        JsonNode detail = HubApi.json(API.call(base + "/sync-runs/" + first.get("id").asText(), ADMIN_TOKEN).get());
        assertThat(detail.get("run").get("id").asText()).isEqualTo(first.get("id").asText());
        JsonNode log = detail.get("logs").get("items");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("externalId").asText()).isEqualTo("c3");
        assertThat(log.get(0).get("recordKind").asText()).isEqualTo("CLIENT");
        assertThat(log.get(0).get("message").asText()).contains("client without a name");

        configure(business, "c1=Alice", "ok");
        JsonNode second = syncAndWait(base, "FULL");
        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("unchangedCount").asLong()).isEqualTo(1);
        assertThat(second.get("deletedCount").asLong()).isEqualTo(1);

        JsonNode third = syncAndWait(base, null);
        assertThat(third.get("mode").asText()).isEqualTo("INCREMENTAL");

        JsonNode runs = HubApi.json(API.call(base + "/sync-runs?limit=2", ADMIN_TOKEN).get());
        assertThat(runs.get("items").findValuesAsText("id")).containsExactly(third.get("id").asText(),
                second.get("id").asText());
        JsonNode rest = HubApi.json(API.call(base + "/sync-runs?limit=2&cursor=" + runs.get("next").asText(),
                ADMIN_TOKEN).get());
        assertThat(rest.get("items").findValuesAsText("id")).containsExactly(first.get("id").asText());
        assertThat(rest.path("next").isTextual()).isFalse();

        JsonNode calls = HubApi.json(API.call(base + "/api-calls", ADMIN_TOKEN).get());
        assertThat(calls.get("items")).hasSize(3);
        assertThat(calls.get("items").get(0).get("path").asText()).isEqualTo("/v1/clients");
        assertThat(calls.get("items").get(0).get("latencyMs").asLong()).isEqualTo(12);
        assertThat(calls.toString()).doesNotContain("hidden");

        JsonNode events = HubApi.json(API.call(base + "/events", ADMIN_TOKEN).get());
        assertThat(events.get("items").findValuesAsText("type")).contains("enabled", "configured");
    }

    @Test
    void runningSyncRefusesASecondOneAndCanBeCancelled() throws Exception {
        UUID business = API.createBusiness("Busy Salon");
        String base = configure(business, "", "block");
        // The modes are spelled as documented; a near miss is refused, never quietly read as FULL.
        JsonNode lowercase = HubApi.json(API.call(base + "/sync", ADMIN_TOKEN).post(Entity.json(Map.of("mode",
                "full"))), 422);
        assertThat(lowercase.get("fields").findValuesAsText("field")).containsExactly("mode");

        Response accepted = API.call(base + "/sync", ADMIN_TOKEN).post(Entity.json(Map.of("mode", "FULL")));
        assertThat(accepted.getStatus()).isEqualTo(202);
        JsonNode run = HubApi.json(accepted);
        String runId = run.get("id").asText();
        assertThat(run.get("status").asText()).isEqualTo("RUNNING");

        Response conflict = API.call(base + "/sync", ADMIN_TOKEN).post(Entity.json(Map.of("mode", "FULL")));
        assertThat(conflict.getStatus()).isEqualTo(409);
        assertThat(HubApi.json(conflict).get("message").asText()).isEqualTo("a sync is already running: run " + runId);

        Response cancel = API.call(base + "/sync-runs/" + runId + "/cancel", ADMIN_TOKEN).post(Entity.json(Map.of()));
        assertThat(cancel.getStatus()).isEqualTo(202);
        assertThat(HubApi.json(cancel).get("cancelRequested").asBoolean()).isTrue();

        JsonNode done = awaitFinished(base, runId);
        assertThat(done.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(API.call(base + "/sync-runs/" + runId + "/cancel", ADMIN_TOKEN).post(Entity.json(Map.of()))
                .getStatus()).isEqualTo(409);
    }

    @Test
    void failedSyncRecordsItsErrorCode() {
        String base = configure(API.createBusiness("Failing Salon"), "c1=Alice", "fail");
        JsonNode run = syncAndWait(base, "FULL");
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        assertThat(run.get("errorCode").asText()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(run.get("errorMessage").asText()).isEqualTo("provider answered 503");
        assertThat(run.get("createdCount").asLong()).isEqualTo(1);
        assertThat(HubApi.json(API.call(base + "/events", ADMIN_TOKEN).get()).get("items").findValuesAsText("type"))
                .contains("sync-failed");
    }

    @Test
    void badModeIsRejectedNamingTheField() {
        String base = configure(API.createBusiness("Mode Salon"), "c1=Alice", "ok");
        Response r = API.call(base + "/sync", ADMIN_TOKEN).post(Entity.json(Map.of("mode", "SIDEWAYS")));
        assertThat(r.getStatus()).isEqualTo(422);
        JsonNode error = HubApi.json(r);
        assertThat(error.get("fields").findValuesAsText("field")).containsExactly("mode");
        assertThat(HubApi.json(API.call(base + "/sync-runs", ADMIN_TOKEN).get()).get("items")).isEmpty();
    }

    @Test
    void unknownRunsAndConnectionsAre404() {
        UUID business = API.createBusiness("Empty Salon");
        String base = configure(business, "c1=Alice", "ok");
        assertThat(API.call(base + "/sync-runs/" + UUID.randomUUID(), ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
        assertThat(API.call(base + "/sync-runs/not-a-uuid", ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
        assertThat(API.call(base + "/sync-runs/" + UUID.randomUUID() + "/cancel", ADMIN_TOKEN)
                .post(Entity.json(Map.of())).getStatus()).isEqualTo(404);

        String none = "/admin/businesses/" + business + "/connections/nothing";
        assertThat(API.call(none + "/sync", ADMIN_TOKEN).post(Entity.json(Map.of())).getStatus()).isEqualTo(404);
        assertThat(API.call(none + "/sync-runs", ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
        assertThat(API.call(none + "/api-calls", ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
        assertThat(API.call(none + "/events", ADMIN_TOKEN).get().getStatus()).isEqualTo(404);

        // A run of another connection is not found under this one.
        String otherBase = configure(API.createBusiness("Other Salon"), "c1=Alice", "ok");
        String otherRun = syncAndWait(otherBase, "FULL").get("id").asText();
        assertThat(API.call(base + "/sync-runs/" + otherRun, ADMIN_TOKEN).get().getStatus()).isEqualTo(404);
    }

    @Test
    void businessAdminGets404ForEverySyncPathOfAnotherBusiness() {
        UUID own = API.createBusiness("Own Sync Salon");
        configure(own, "c1=Mine", "ok");
        UUID foreign = API.createBusiness("Foreign Sync Salon");
        String f = configure(foreign, "c1=Theirs", "ok");
        String foreignRun = syncAndWait(f, "FULL").get("id").asText();
        Response keyResponse = API.call("/admin/api-keys", ADMIN_TOKEN).post(Entity.json(Map.of("name", "owner",
                "role", "business-admin", "businessId", own.toString())));
        String key = HubApi.json(keyResponse).get("token").asText();

        assertThat(API.call("/admin/businesses/" + own + "/connections/feed/sync-runs", key).get().getStatus())
                .isEqualTo(200);
        Map<String, Invocation> matrix = Map.of(
                "POST sync", API.call(f + "/sync", key).buildPost(Entity.json(Map.of("mode", "FULL"))),
                "POST sync wait", API.call(f + "/sync?wait=true", key).buildPost(Entity.json(Map.of())),
                "GET sync-runs", API.call(f + "/sync-runs", key).buildGet(),
                "GET sync-run", API.call(f + "/sync-runs/" + foreignRun, key).buildGet(),
                "POST cancel", API.call(f + "/sync-runs/" + foreignRun + "/cancel", key).buildPost(Entity.json(Map.of())),
                "GET api-calls", API.call(f + "/api-calls", key).buildGet(),
                "GET events", API.call(f + "/events", key).buildGet());
        matrix.forEach((name, invocation) -> {
            Response r = invocation.invoke();
            assertThat(r.getStatus()).as(name).isEqualTo(404);
            assertThat(r.readEntity(String.class)).as(name).doesNotContain("Theirs", foreignRun);
        });
        JsonNode runs = HubApi.json(API.call(f + "/sync-runs", ADMIN_TOKEN).get());
        assertThat(runs.get("items").findValuesAsText("id")).containsExactly(foreignRun);
    }
}
