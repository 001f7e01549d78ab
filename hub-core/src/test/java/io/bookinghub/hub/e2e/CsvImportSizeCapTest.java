package io.bookinghub.hub.e2e;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.jackson.JacksonFeature;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code imports.maxBytes}: larger uploads are refused with 413, declared or streamed. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CsvImportSizeCapTest {
    private static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;
    private static final Client CLIENT = ClientBuilder.newClient().register(new JacksonFeature(JSON));

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("csv-import-connector"), Files.createTempDirectory("var"),
                    HubTestApp.environment(), ConfigOverride.config("sync.schedulerEnabled", "false"),
                    ConfigOverride.config("imports.maxBytes", String.valueOf(MAX_BYTES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Invocation.Builder call(String path) {
        return CLIENT.target("http://localhost:" + APP.getLocalPort() + path).request(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static JsonNode json(int status, String body) {
        assertThat(status).as(body).isNotZero();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Response response, int status) {
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        return json(status, body);
    }

    private static String connection(UUID business) {
        return "/admin/businesses/" + business + "/connections/csv-import";
    }

    private static UUID businessWithCsv() {
        UUID business = UUID.fromString(json(call("/admin/businesses").post(Entity.json(Map.of("name", "Capped",
                "timeZone", "Europe/Warsaw"))), 201).get("id").asText());
        json(call(connection(business)).put(Entity.json(Map.of("config", Map.of()))), 200);
        return business;
    }

    private static String clients(int rows) {
        StringBuilder csv = new StringBuilder("Client ID,Name\n");
        for (int i = 0; i < rows; i++) {
            csv.append("C-").append(i).append(",Client number ").append(i).append('\n');
        }
        return csv.toString();
    }

    @Test
    void anUploadExactlyAtTheCapIsImported() {
        UUID business = businessWithCsv();
        StringBuilder csv = new StringBuilder(clients(10));
        int padding = MAX_BYTES - csv.length() - "C-10,\n".length();
        csv.append("C-10,").append("x".repeat(padding)).append('\n');
        assertThat(csv.toString().getBytes(StandardCharsets.UTF_8)).hasSize(MAX_BYTES);

        JsonNode result = json(call(connection(business) + "/imports?kind=clients").post(Entity.entity(
                csv.toString(), "text/csv")), 200);
        assertThat(result.get("run").get("createdCount").asLong()).isEqualTo(11);
    }

    @Test
    void aDeclaredLengthOverTheCapIsRefusedBeforeAnythingIsRead() {
        UUID business = businessWithCsv();
        JsonNode refused = json(call(connection(business) + "/imports?kind=clients").post(Entity.entity(
                clients(300).getBytes(StandardCharsets.UTF_8), "text/csv")), 413);
        assertThat(refused.get("error").asText()).isEqualTo("TOO_LARGE");
        assertThat(json(call(connection(business) + "/sync-runs").get(), 200).get("items")).isEmpty();
    }

    @Test
    void aStreamedUploadOverTheCapStopsAtTheCapAsAFailedRun() throws Exception {
        UUID business = businessWithCsv();
        byte[] csv = clients(600).getBytes(StandardCharsets.UTF_8);
        assertThat(csv.length).isGreaterThan(2 * MAX_BYTES);
        // No Content-Length: the body is chunked, so only the stream can notice.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                        + connection(business) + "/imports?kind=clients"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(csv))).build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(json(413, response.body()).get("message").asText()).contains(String.valueOf(MAX_BYTES));
        JsonNode run = json(call(connection(business) + "/sync-runs").get(), 200).get("items").get(0);
        assertThat(run.get("mode").asText()).isEqualTo("IMPORT");
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        assertThat(run.get("errorMessage").asText()).contains("larger than " + MAX_BYTES);
        // The CSV importer reads a file only once it has all of it (it detects encoding and date format from the
        // whole file), so an upload cut off at the cap stores nothing.
        long stored = json(call("/admin/businesses/" + business + "/record-counts").get(), 200).path("CLIENT")
                .asLong();
        assertThat(stored).isZero();
    }
}
