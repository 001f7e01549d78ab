package io.bookinghub.hub.api;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.hub.testing.TestPlugins;
import io.bookinghub.hubtesting.HttpFuzzer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seeded random hostile requests against the whole running hub (real HTTP over raw sockets, real PostgreSQL):
 * zero 5xx, every error in the one JSON shape. {@code -Dfuzz.seed=...} replays a run, {@code -Dfuzz.count=...}
 * changes its size; the longer run is {@code io.bookinghub.bench.HttpFuzzBenchmark}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HttpFuzzTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB, TestPlugins.echoAndOther(),
            HubTestApp.varDirectory(), HubTestApp.environment());
    private static final HubApi API = new HubApi(APP);

    @Test
    void theHandListOfRoutesIsEveryRouteJerseyServes() {
        Set<String> served = servedRoutes(APP.getEnvironment().jersey().getResourceConfig());
        Set<String> listed = HttpFuzzer.ROUTES.stream().map(r -> r.method() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).as("HttpFuzzer.ROUTES must list every admin and webhook route").isEqualTo(served);
    }

    @Test
    void tenThousandHostileRequestsGetNoFiveHundredAndOnlyTheOneErrorShape() throws Exception {
        UUID business = API.createBusiness("Fuzz Salon");
        assertThat(API.call("/admin/businesses/" + business + "/connections/echo", ADMIN_TOKEN)
                .put(Entity.json(Map.of("config", Map.of("greeting", "hello")))).getStatus()).isEqualTo(200);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int count = Integer.getInteger("fuzz.count", 10_000);
        HttpFuzzer fuzzer = new HttpFuzzer("127.0.0.1", APP.getLocalPort(), ADMIN_TOKEN, Map.of(
                "businessId", List.of(business.toString()),
                "connectorId", List.of("echo", "other", "csv-import", "booksy"),
                "connectionId", List.of(UUID.randomUUID().toString()),
                "appointmentId", List.of(UUID.randomUUID().toString()),
                "runId", List.of(UUID.randomUUID().toString()),
                "id", List.of("1", "2", UUID.randomUUID().toString()),
                "keyId", List.of(UUID.randomUUID().toString())), HttpFuzzer.ROUTES);

        HttpFuzzer.Report report = fuzzer.run(seed, count, 6);

        System.out.println("HttpFuzzTest " + report.summary());
        assertThat(report.failures()).as("replay with -Dfuzz.seed=" + seed + "; " + report.summary() + "; first "
                + "failures:\n" + report.failures().stream().limit(20).map(Object::toString)
                .collect(Collectors.joining("\n"))).isEmpty();
        assertThat(report.statuses()).as("the run must reach past authentication and routing")
                .containsKeys(200, 400, 401, 404);
    }

    /** "METHOD /path/{param}" of every resource method under /admin and /connectors. */
    static Set<String> servedRoutes(ResourceConfig config) {
        List<Class<?>> classes = new ArrayList<>(config.getClasses());
        config.getInstances().forEach(i -> classes.add(i.getClass()));
        Set<String> routes = new TreeSet<>();
        for (Class<?> type : classes) {
            if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                collect(Resource.from(type), "", routes);
            }
        }
        return routes.stream().filter(r -> r.contains(" /admin") || r.contains(" /connectors"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void collect(Resource resource, String prefix, Set<String> routes) {
        String path = Stream.of(prefix, resource.getPath()).filter(p -> p != null && !p.isEmpty())
                .collect(Collectors.joining("/")).replaceAll("/+", "/");
        path = path.startsWith("/") ? path : "/" + path;
        path = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (ResourceMethod method : resource.getResourceMethods()) {
            routes.add(method.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }
}
