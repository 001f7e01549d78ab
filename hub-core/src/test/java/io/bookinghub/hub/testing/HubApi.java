package io.bookinghub.hub.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.jackson.JacksonFeature;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The hub's admin API as a test calls it: real HTTP to the running app. */
public final class HubApi {
    // Not the extension's own client: its bounded connection pool hangs when a test reads only the status.
    private static final Client CLIENT = ClientBuilder.newClient()
            .register(new JacksonFeature(Jackson.newObjectMapper()));

    private final DropwizardAppExtension<?> app;

    public HubApi(DropwizardAppExtension<?> app) {
        this.app = app;
    }

    /** {@code path} on the application port. */
    public WebTarget target(String path) {
        return CLIENT.target("http://localhost:" + app.getLocalPort() + path);
    }

    /** {@code path} on the admin port (health checks, metrics), which listens on the loopback address only. */
    public WebTarget adminTarget(String path) {
        return CLIENT.target("http://127.0.0.1:" + app.getAdminPort() + path);
    }

    /** A request to {@code path} on the application port, with a bearer key unless {@code token} is null. */
    public Invocation.Builder call(String path, String token) {
        Invocation.Builder builder = target(path).request(MediaType.APPLICATION_JSON);
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public static JsonNode json(Response response) {
        return response.readEntity(JsonNode.class);
    }

    /** The body as JSON, after asserting the status (the body is the assertion's description). */
    public static JsonNode json(Response response, int status) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        try {
            return Jackson.newObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a business (Europe/Warsaw) as hub-admin. */
    public UUID createBusiness(String name) {
        Response r = call("/admin/businesses", HubTestApp.ADMIN_TOKEN).post(Entity.json(Map.of("name", name,
                "timeZone", "Europe/Warsaw")));
        assertThat(r.getStatus()).isEqualTo(201);
        return UUID.fromString(json(r).get("id").asText());
    }

    /** Issues a business-admin key for one business and returns its token. */
    public String businessAdminKey(UUID businessId) {
        Response r = call("/admin/api-keys", HubTestApp.ADMIN_TOKEN).post(Entity.json(Map.of("name", "owner",
                "role", "business-admin", "businessId", businessId.toString())));
        assertThat(r.getStatus()).isEqualTo(201);
        return json(r).get("token").asText();
    }

    /** Issues an app key bound to {@code businessIds} with {@code scopes} ("read", "write") and returns its token. */
    public String appKey(List<UUID> businessIds, List<String> scopes) {
        Response r = call("/admin/api-keys", HubTestApp.ADMIN_TOKEN).post(Entity.json(Map.of("name", "app",
                "role", "app", "businessIds", businessIds.stream().map(UUID::toString).toList(), "scopes", scopes)));
        assertThat(r.getStatus()).isEqualTo(201);
        return json(r).get("token").asText();
    }
}
