package io.bookinghub.hub.openapi;

import io.dropwizard.core.setup.Environment;

/**
 * The API's description: {@code /openapi.json}, {@code /openapi.yaml} (OpenAPI 3.1, generated from the registered
 * JAX-RS resources) and the Swagger UI page {@code /docs/api}.
 */
public final class OpenApiFeature {
    private OpenApiFeature() {
    }

    public static void register(Environment environment) {
        String version = OpenApiFeature.class.getPackage().getImplementationVersion();
        ApiDescription description = new ApiDescription(environment.jersey().getResourceConfig(),
                version == null ? "development" : version);
        environment.jersey().register(new OpenApiResource(description));
        environment.jersey().register(new OpenApiResource.Yaml(description));
        environment.jersey().register(new ApiDocsResource());
    }
}
