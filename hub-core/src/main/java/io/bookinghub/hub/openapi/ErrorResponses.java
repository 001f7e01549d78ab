package io.bookinghub.hub.openapi;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error answers every route can give, added to each operation from what its Java method declares, so the
 * description lists them without an annotation per route: 400 and 500 everywhere (any parameter or body can be
 * refused before the route runs; any route can fail), 401 and 403 where a role is required, 409 and 422 where the
 * request changes something or carries a body; 404 where the path names something ({@link #pathParameters}). All of them carry the one error body ({@code ErrorBody}).
 * Answers a route documents itself are left as they are.
 */
final class ErrorResponses {
    /** The name of the error body's schema in {@code components.schemas}. */
    static final String SCHEMA = "ErrorBody";
    /** The name of the bearer API key scheme in {@code components.securitySchemes}. */
    static final String BEARER = "apiKey";
    private static final Pattern TEMPLATE = Pattern.compile("\\{(\\w+)}");

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("400", "The request cannot be read: a bad parameter, malformed JSON, forbidden characters");
        DESCRIPTIONS.put("401", "No valid API key in 'Authorization: Bearer <key>'");
        DESCRIPTIONS.put("403", "The key's role or scope does not allow this");
        DESCRIPTIONS.put("404", "Not found, or not visible to this key");
        DESCRIPTIONS.put("409", "Conflicts with the current state (e.g. a run already running)");
        DESCRIPTIONS.put("422", "Readable input that is refused (validation); 'fields' names every bad one");
        DESCRIPTIONS.put("500", "The hub failed; the message carries an error id to find the logged trace by");
    }

    void decorate(Operation operation, Method method) {
        RolesAllowed roles = roles(method);
        boolean changes = operation.getRequestBody() != null || !isRead(method);
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        ApiResponse answer = responses.remove("default");
        if (answer != null && method.getReturnType() != Response.class) {
            // swagger-core files what the method returns as "default"; a route returning an entity answers 200
            // (204 without one), and only a route building its Response itself may answer other successes.
            responses.addApiResponse(method.getReturnType() == void.class ? "204" : "200", answer);
        } else if (answer != null) {
            responses.addApiResponse("default", answer);
        }
        add(responses, "400");
        if (roles != null) {
            add(responses, "401");
            add(responses, "403");
            operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
            operation.addExtension("x-roles", List.of(roles.value()));
        } else {
            // Explicitly open (webhooks, OAuth redirects, this description): no key is asked for.
            operation.setSecurity(List.of());
        }
        if (changes) {
            add(responses, "409");
            add(responses, "422");
        }
        add(responses, "500");
        operation.setResponses(responses);
        if (operation.getTags() == null || operation.getTags().isEmpty()) {
            // The feature package the route lives in: model, auth, sync...
            String name = method.getDeclaringClass().getPackageName();
            operation.addTagsItem(name.substring(name.lastIndexOf('.') + 1));
        }
    }

    /**
     * What an operation on {@code path} needs that only the path tells: each of its template parameters (a method
     * may leave one undeclared that its class's path has) and a 404, since the thing named may not exist (a
     * business the key may not see looks like one that does not exist).
     */
    static void pathParameters(String path, Operation operation) {
        Matcher names = TEMPLATE.matcher(path);
        boolean any = false;
        while (names.find()) {
            any = true;
            String name = names.group(1);
            if (operation.getParameters() == null || operation.getParameters().stream()
                    .noneMatch(p -> "path".equals(p.getIn()) && name.equals(p.getName()))) {
                operation.addParametersItem(new PathParameter().name(name).required(true)
                        .schema(new Schema<>().types(Set.of("string"))));
            }
        }
        if (any) {
            add(operation.getResponses(), "404");
        }
    }

    /** The error body as every error answer carries it. */
    static Content errorContent() {
        return new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA)));
    }

    private static void add(ApiResponses responses, String status) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(DESCRIPTIONS.get(status))
                    .content(errorContent()));
        }
    }

    private static RolesAllowed roles(Method method) {
        if (method.isAnnotationPresent(PermitAll.class)) {
            return null;
        }
        RolesAllowed onMethod = method.getAnnotation(RolesAllowed.class);
        return onMethod != null ? onMethod : method.getDeclaringClass().getAnnotation(RolesAllowed.class);
    }

    private static boolean isRead(Method method) {
        return method.isAnnotationPresent(GET.class) || method.isAnnotationPresent(HEAD.class);
    }
}
