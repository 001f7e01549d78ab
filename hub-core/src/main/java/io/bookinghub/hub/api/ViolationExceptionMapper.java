package io.bookinghub.hub.api;

import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.List;

/** Bean Validation failures of a request: 422 listing every bad field, not only the first. */
public final class ViolationExceptionMapper implements ExceptionMapper<JerseyViolationException> {
    @Override
    public Response toResponse(JerseyViolationException e) {
        Method method = e.getInvocable() == null ? null : e.getInvocable().getDefinitionMethod();
        List<ConfigValidationException.FieldError> fields = e.getConstraintViolations().stream()
                .map(v -> new ConfigValidationException.FieldError(field(v, method), v.getMessage()))
                .sorted(Comparator.comparing(ConfigValidationException.FieldError::field)
                        .thenComparing(ConfigValidationException.FieldError::message))
                .toList();
        ConfigValidationException mapped = new ConfigValidationException(fields);
        return new ErrorBody(422, ErrorCode.INVALID_INPUT.name(), mapped.getMessage(), fields).response();
    }

    /** {@code name}, {@code config.greeting}, or a parameter's JAX-RS name ({@code limit}); "body" for the body. */
    private static String field(ConstraintViolation<?> violation, Method method) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER && node instanceof Path.ParameterNode parameter) {
                field.setLength(0);
                field.append(parameterName(method, parameter.getParameterIndex()));
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getName() == null) {
                    continue;
                }
                if (field.length() > 0 && !"body".contentEquals(field)) {
                    field.append('.');
                } else {
                    field.setLength(0);
                }
                field.append(node.getName());
            }
        }
        return field.length() == 0 ? "body" : field.toString();
    }

    private static String parameterName(Method method, int index) {
        if (method == null || index >= method.getParameterCount()) {
            return "body";
        }
        for (Annotation a : method.getParameterAnnotations()[index]) {
            if (a instanceof QueryParam q) {
                return q.value();
            }
            if (a instanceof PathParam p) {
                return p.value();
            }
            if (a instanceof HeaderParam h) {
                return h.value();
            }
        }
        return "body";
    }
}
