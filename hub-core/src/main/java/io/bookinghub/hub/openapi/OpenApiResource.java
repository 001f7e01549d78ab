package io.bookinghub.hub.openapi;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /openapi.json} and {@code /openapi.yaml}: the API's description, open to anyone (it holds no data). */
@Path("/")
public final class OpenApiResource {
    private final ApiDescription description;

    OpenApiResource(ApiDescription description) {
        this.description = description;
    }

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public String json() {
        return description.json();
    }

    @GET
    @Path("openapi.yaml")
    @Produces("application/yaml")
    public String yaml() {
        return description.yaml();
    }
}
