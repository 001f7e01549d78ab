package io.bookinghub.hub.openapi;

import com.fasterxml.jackson.annotation.JsonView;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.dropwizard.auth.Auth;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.jaxrs2.ResolvedParameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.integration.api.OpenAPIConfiguration;
import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.servers.Server;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * swagger-core's reader of JAX-RS resources with the hub's two additions: the authenticated caller
 * ({@code @Auth HubPrincipal}) is not a request body, and every operation gets the hub's standard error answers,
 * security and tag from {@link ErrorResponses}, knowing the Java method behind it. So no resource needs swagger
 * annotations, and a route another feature adds is described as soon as it is registered.
 */
final class HubReader extends Reader {
    private final ErrorResponses errors;

    HubReader(OpenAPIConfiguration configuration, ErrorResponses errors) {
        super(configuration);
        this.errors = errors;
    }

    @Override
    protected ResolvedParameter getParameters(Type type, List<Annotation> annotations, Operation operation,
            Consumes classConsumes, Consumes methodConsumes, JsonView jsonViewAnnotation) {
        if (annotations.stream().anyMatch(a -> a instanceof Auth)) {
            return new ResolvedParameter();
        }
        if (annotations.stream().anyMatch(a -> a instanceof BeanParam)) {
            Class<?> bean = TypeFactory.defaultInstance().constructType(type).getRawClass();
            // swagger-core finds a bean's parameters through Jackson, which sees no package-private field; Jersey
            // reads every annotated field, so every one is described here, each as swagger-core describes it.
            ResolvedParameter resolved = new ResolvedParameter();
            for (Class<?> c = bean; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.getAnnotations().length > 0) {
                        resolved.parameters.addAll(getParameters(field.getGenericType(),
                                List.of(field.getAnnotations()), operation, classConsumes, methodConsumes,
                                jsonViewAnnotation).parameters);
                    }
                }
            }
            return resolved;
        }
        ResolvedParameter resolved = super.getParameters(type, annotations, operation, classConsumes, methodConsumes,
                jsonViewAnnotation);
        for (Parameter parameter : resolved.parameters) {
            if ("offset".equals(parameter.getName()) && "query".equals(parameter.getIn())) {
                // Paging's refusal of the old offset paging: it is a parameter Jersey reads, but only to say no.
                parameter.deprecated(true).description("Not supported: answers 400; listings page by 'cursor'");
            }
        }
        return resolved;
    }

    @Override
    public Operation parseMethod(Method method, List<Parameter> globalParameters, Produces methodProduces,
            Produces classProduces, Consumes methodConsumes, Consumes classConsumes,
            List<SecurityRequirement> classSecurityRequirements, Optional<ExternalDocumentation> classExternalDocs,
            Set<String> classTags, List<Server> classServers, boolean isSubresource, RequestBody parentRequestBody,
            ApiResponses parentResponses, JsonView jsonViewAnnotation,
            ApiResponse[] classResponses, AnnotatedMethod annotatedMethod) {
        Operation operation = super.parseMethod(method, globalParameters, methodProduces, classProduces,
                methodConsumes, classConsumes, classSecurityRequirements, classExternalDocs, classTags, classServers,
                isSubresource, parentRequestBody, parentResponses, jsonViewAnnotation, classResponses,
                annotatedMethod);
        errors.decorate(operation, method);
        return operation;
    }
}
