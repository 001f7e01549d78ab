package io.bookinghub.hub.openapi;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code /docs/api}: Swagger UI (from its webjar) over {@code /openapi.json}, to read the API and try calls with a
 * key. Only the files the page needs are served, each from the webjar of the version on the class path.
 */
@Path("/docs/api")
public final class ApiDocsResource {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "swagger-ui-standalone-preset.js", "text/javascript",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");
    /** The page's own files, next to this class. */
    private static final Map<String, String> OWN = Map.of("index.html", MediaType.TEXT_HTML,
            "docs-initializer.js", "text/javascript");

    private final String webjarVersion;

    ApiDocsResource() {
        this.webjarVersion = webjarVersion();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        return file("index.html");
    }

    @GET
    @Path("/{file}")
    public Response file(@PathParam("file") String file) {
        String path;
        String type;
        if (OWN.containsKey(file)) {
            path = "io/bookinghub/hub/openapi/" + file;
            type = OWN.get(file);
        } else if (FILES.containsKey(file)) {
            path = WEBJAR + webjarVersion + "/" + file;
            type = FILES.get(file);
        } else {
            throw new ConnectorException(ErrorCode.NOT_FOUND, "No file " + file + " in the API docs");
        }
        InputStream in = ApiDocsResource.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is missing from the class path");
        }
        return Response.ok(in, type).header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600").build();
    }

    private static String webjarVersion() {
        try (InputStream in = ApiDocsResource.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
