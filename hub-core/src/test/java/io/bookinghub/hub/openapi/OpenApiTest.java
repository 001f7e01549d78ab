package io.bookinghub.hub.openapi;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.ExternalRef;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.model.Parameter;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.model.ResourceModel;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI description against what Jersey really routes: every path and method, every path, query, header and
 * cookie parameter, and the error answers; then real answers validated against its schemas. Routes other features
 * add are covered without touching this test.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP = HubTestApp.extension(DB);

    private static final HubApi API = new HubApi(APP);
    private static final ObjectMapper JSON = Jackson.newObjectMapper();

    @Test
    void everyRegisteredRouteIsDescribedWithItsParametersAndErrorAnswers() {
        JsonNode doc = HubApi.json(API.call("/openapi.json", null).get(), 200);
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        Map<String, Set<String>> routes = jerseyRoutes();
        assertThat(routes).containsKeys("GET /v1/businesses/{businessId}/appointments", "GET /openapi.json",
                "POST /admin/businesses", "POST /connectors/{connectorId}/webhook");

        Map<String, Set<String>> described = new TreeMap<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!op.getKey().equals("parameters")) {
                described.put(op.getKey().toUpperCase() + " " + path.getKey(), parameters(op.getValue()));
            }
        }));
        assertThat(described.keySet()).as("operations in /openapi.json").isEqualTo(routes.keySet());
        List<String> problems = new ArrayList<>();
        routes.forEach((route, parameters) -> {
            Set<String> missing = new TreeSet<>(parameters);
            missing.removeAll(described.get(route));
            if (!missing.isEmpty()) {
                problems.add(route + " lacks " + missing);
            }
            String[] methodAndPath = route.split(" ", 2);
            JsonNode op = doc.get("paths").get(methodAndPath[1]).get(methodAndPath[0].toLowerCase());
            List<String> expected = new ArrayList<>(List.of("400", "500"));
            if (methodAndPath[1].contains("{")) {
                expected.add("404");
            }
            if (op.has("x-roles")) {
                expected.addAll(List.of("401", "403"));
                assertThat(op.get("security").toString()).isEqualTo("[{\"apiKey\":[]}]");
            } else {
                assertThat(op.get("security").toString()).as(route).isEqualTo("[]");
            }
            for (String status : expected) {
                JsonNode answer = op.get("responses").get(status);
                if (answer == null || !answer.at("/content/application~1json/schema/$ref").asText()
                        .equals("#/components/schemas/ErrorBody")) {
                    problems.add(route + " has no " + status + " ErrorBody answer");
                }
            }
        });
        assertThat(problems).isEmpty();
        // Role-bound routes say which roles.
        JsonNode reads = doc.at("/paths/~1v1~1businesses~1{businessId}~1appointments/get");
        assertThat(reads.get("x-roles").toString()).isEqualTo("[\"app\",\"business-admin\"]");
        assertThat(parameters(reads)).contains("query:cursor", "query:limit", "query:from", "query:to",
                "path:businessId");
    }

    @Test
    void theYamlDocumentIsTheSameDescriptionAndTheDocsPageLoadsItsFiles() throws IOException {
        JsonNode json = HubApi.json(API.call("/openapi.json", null).get(), 200);
        Response yaml = API.target("/openapi.yaml").request().get();
        assertThat(yaml.getStatus()).isEqualTo(200);
        assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml.readEntity(String.class))).isEqualTo(json);

        Response page = API.target("/docs/api").request().get();
        assertThat(page.getStatus()).isEqualTo(200);
        String html = page.readEntity(String.class);
        for (String file : List.of("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                "docs-initializer.js")) {
            assertThat(html).contains("/docs/api/" + file);
            Response asset = API.target("/docs/api/" + file).request().get();
            assertThat(asset.getStatus()).as(file).isEqualTo(200);
            assertThat(asset.readEntity(String.class)).isNotEmpty();
        }
        assertThat(API.target("/docs/api/docs-initializer.js").request().get().readEntity(String.class))
                .contains("/openapi.json");
        assertThat(HubApi.json(API.target("/docs/api/..%2Fsecret").request().get()).get("code").asInt())
                .isIn(400, 404);
    }

    @Test
    void realAnswersMatchTheDescribedSchemas() {
        JsonNode doc = HubApi.json(API.call("/openapi.json", null).get(), 200);
        UUID business = API.createBusiness("Described");
        ExternalRef ref = new ExternalRef("acme", "a-1");
        Instant start = Instant.parse("2026-03-02T10:00:00Z");
        // Mostly nulls, as a sparse provider sends them: the schema must allow them.
        new RecordStore(DB.jdbi(), Clock.systemUTC()).sink(business, "acme").upsert(new Appointment(ref, null, null,
                List.of(new AppointmentSegment("svc", null, null, start, start.plusSeconds(3600))),
                ZoneId.of("Europe/Warsaw"), AppointmentStatus.BOOKED, null, null, null, null, null, null, null,
                null));
        String app = API.appKey(List.of(business), List.of("read"));

        valid(doc, "/v1/businesses/{businessId}/appointments", "get", "200",
                API.call("/v1/businesses/" + business + "/appointments", app).get(), 200);
        valid(doc, "/admin/businesses", "get", "200", API.call("/admin/businesses", ADMIN_TOKEN).get(), 200);
        valid(doc, "/v1/businesses/{businessId}/clients", "get", "404",
                API.call("/v1/businesses/" + UUID.randomUUID() + "/clients", app).get(), 404);
        valid(doc, "/admin/businesses", "post", "422", API.call("/admin/businesses", ADMIN_TOKEN)
                .post(Entity.json(Map.of("name", "", "timeZone", "Mars/Olympus"))), 422);
        valid(doc, "/v1/businesses/{businessId}/staff", "get", "400",
                API.call("/v1/businesses/" + business + "/staff?limit=x", app).get(), 400);
    }

    private static void valid(JsonNode doc, String path, String method, String status, Response response,
            int expectedStatus) {
        JsonNode body = HubApi.json(response, expectedStatus);
        JsonNode described = doc.get("paths").get(path).get(method).get("responses").get(status)
                .at("/content/application~1json/schema");
        assertThat(described.isMissingNode()).as(method + " " + path + " " + status).isFalse();
        ObjectNode schema = described.deepCopy();
        // The response schema refers into the document's components: give it them as its own root's.
        schema.set("components", doc.get("components"));
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        Set<ValidationMessage> errors = validator.validate(body);
        assertThat(errors).as(method + " " + path + " " + status + ": " + body).isEmpty();
    }

    private static Set<String> parameters(JsonNode operation) {
        Set<String> names = new TreeSet<>();
        if (operation.has("parameters")) {
            operation.get("parameters").forEach(p -> names.add(p.get("in").asText() + ":" + p.get("name").asText()));
        }
        return names;
    }

    /** "METHOD /path" → "in:name" of each parameter, from the resource model Jersey serves. */
    private static Map<String, Set<String>> jerseyRoutes() {
        ServletContainer container = (ServletContainer) APP.getEnvironment().getJerseyServletContainer();
        ResourceModel model = container.getApplicationHandler().getInjectionManager()
                .getInstance(ExtendedResourceContext.class).getResourceModel();
        Map<String, Set<String>> routes = new TreeMap<>();
        model.getRootResources().forEach(r -> walk(r, "", routes));
        return routes;
    }

    private static void walk(Resource resource, String prefix, Map<String, Set<String>> routes) {
        String path = join(prefix, resource.getPath());
        assertThat(resource.getResourceLocator()).as("sub-resource locator at " + path).isNull();
        for (ResourceMethod method : resource.getResourceMethods()) {
            if (method.isExtended()) {
                continue; // OPTIONS and the like, which Jersey adds to every resource
            }
            if (method.getInvocable().getHandler().getHandlerClass().isAnnotationPresent(Hidden.class)) {
                continue; // the console's HTML pages: a UI over the API, deliberately not described
            }
            Set<String> parameters = new TreeSet<>();
            for (Parameter p : method.getInvocable().getParameters()) {
                switch (p.getSource()) {
                    case PATH -> parameters.add("path:" + p.getSourceName());
                    case QUERY -> parameters.add("query:" + p.getSourceName());
                    case HEADER -> parameters.add("header:" + p.getSourceName());
                    case COOKIE -> parameters.add("cookie:" + p.getSourceName());
                    case BEAN_PARAM -> beanParameters(p.getRawType(), parameters);
                    default -> {
                    }
                }
            }
            routes.put(method.getHttpMethod() + " " + path, parameters);
        }
        resource.getChildResources().forEach(child -> walk(child, path, routes));
    }

    private static void beanParameters(Class<?> type, Set<String> into) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(QueryParam.class)) {
                    into.add("query:" + f.getAnnotation(QueryParam.class).value());
                } else if (f.isAnnotationPresent(PathParam.class)) {
                    into.add("path:" + f.getAnnotation(PathParam.class).value());
                } else if (f.isAnnotationPresent(HeaderParam.class)) {
                    into.add("header:" + f.getAnnotation(HeaderParam.class).value());
                } else if (f.isAnnotationPresent(CookieParam.class)) {
                    into.add("cookie:" + f.getAnnotation(CookieParam.class).value());
                } else if (f.isAnnotationPresent(BeanParam.class)) {
                    beanParameters(f.getType(), into);
                }
            }
        }
    }

    /** Jersey's paths joined as OpenAPI writes them: one slash between parts, templates without their regex. */
    private static String join(String prefix, String part) {
        String joined = (prefix + "/" + (part == null ? "" : part)).replaceAll("/+", "/");
        joined = joined.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
