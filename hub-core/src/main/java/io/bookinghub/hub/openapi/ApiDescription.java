package io.bookinghub.hub.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.base.Suppliers;
import io.bookinghub.hub.api.ErrorBody;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.core.util.Yaml31;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.ws.rs.Path;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The OpenAPI 3.1 description of every route the application registered, generated from the JAX-RS resources
 * (swagger-core) the first time it is asked for, when every feature has registered its routes.
 */
final class ApiDescription {
    private final Supplier<Documents> documents;

    ApiDescription(ResourceConfig jersey, String version) {
        this.documents = Suppliers.memoize(() -> Documents.of(build(resourceClasses(jersey), version)));
    }

    String json() {
        return documents.get().json();
    }

    String yaml() {
        return documents.get().yaml();
    }

    /** The root resource classes Jersey has, registered as classes or as instances. */
    static Set<Class<?>> resourceClasses(ResourceConfig jersey) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        Stream.concat(jersey.getClasses().stream(), jersey.getSingletons().stream().map(Object::getClass))
                .filter(c -> c.isAnnotationPresent(Path.class))
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(classes::add);
        return classes;
    }

    static OpenAPI build(Set<Class<?>> resources, String version) {
        OpenAPI base = new OpenAPI(SpecVersion.V31).openapi("3.1.0")
                .info(new Info().title("Booking Hub API").version(version).description("Generated from the hub's "
                        + "JAX-RS resources. Every error answer is an ErrorBody; 'x-roles' lists the API key roles "
                        + "an operation accepts."))
                .components(new Components().addSecuritySchemes(ErrorResponses.BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An API key: 'Authorization: Bearer <key>' (never in the URL)")));
        SwaggerConfiguration configuration = new SwaggerConfiguration().openAPI(base).openAPI31(true)
                .sortOutput(true);
        OpenAPI api = new HubReader(configuration, new ErrorResponses()).read(resources);
        api.getPaths().forEach((path, item) -> item.readOperations()
                .forEach(operation -> ErrorResponses.pathParameters(path, operation)));
        Map<String, Schema> error = ModelConverters.getInstance(true).readAll(ErrorBody.class);
        error.forEach(api.getComponents()::addSchemas);
        api.getComponents().getSchemas().get(ErrorResponses.SCHEMA)
                .required(List.of("code", "error", "message"))
                .description("The one error shape of every answer from 400 on: 'code' is the HTTP status, 'error' "
                        + "an upper-case name, 'fields' lists every bad field or parameter (left out when none).");
        api.getComponents().getSchemas().values().forEach(ApiDescription::allowNulls);
        return api;
    }

    /**
     * The hub writes a record component that has no value as {@code null} (Jackson's default), so each property
     * that is not required may be null. swagger-core, reading Java types, does not say so.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void allowNulls(Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> e : new ArrayList<>(properties.entrySet())) {
            Schema property = e.getValue();
            if (required.contains(e.getKey())) {
                continue;
            }
            if (property.get$ref() != null) {
                properties.put(e.getKey(), new Schema<>().anyOf(List.of(property,
                        new Schema<>().types(Set.of("null")))));
            } else if (property.getTypes() != null && !property.getTypes().contains("null")
                    && !property.getTypes().contains("boolean")) {
                Set<String> types = new LinkedHashSet<>(property.getTypes());
                types.add("null");
                property.setTypes(types);
            }
        }
    }

    private record Documents(String json, String yaml) {
        static Documents of(OpenAPI api) {
            try {
                return new Documents(Json31.pretty().writeValueAsString(api), Yaml31.pretty().writeValueAsString(api));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
