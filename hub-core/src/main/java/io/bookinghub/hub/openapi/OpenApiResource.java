package io.bookinghub.hub.openapi;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /openapi.json} and, in {@link Yaml}, {@code /openapi.yaml}: the API's description, open to anyone (it holds
 * no data). Two root resources rather than one at {@code /}, which would claim the root path for this feature.
 */
@Path("/openapi.json")
public final class OpenApiResource {
    private final ApiDescription description;

    OpenApiResource(ApiDescription description) {
        this.description = description;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String json() {
        return description.json();
    }

    /** The same description as YAML. */
    @Path("/openapi.yaml")
    public static final class Yaml {
        private final ApiDescription description;

        Yaml(ApiDescription description) {
            this.description = description;
        }

        @GET
        @Produces("application/yaml")
        public String yaml() {
            return description.yaml();
        }
    }
}
