package io.bookinghub.hub.api;

import io.bookinghub.spi.ConfigValidationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.glassfish.jersey.server.ParamException;

/**
 * A parameter Jersey could not convert (an id that is not a UUID, a number that is not one). JAX-RS answers
 * 404 for every URI parameter; a query or header parameter the client got wrong is a 400 naming it. A bad
 * path segment names no resource, so it stays a 404.
 */
public final class ParamExceptionMapper implements ExceptionMapper<ParamException> {
    @Override
    public Response toResponse(ParamException e) {
        if (e instanceof ParamException.PathParamException) {
            return ErrorBody.of(404, "no such resource").response();
        }
        return ErrorBody.invalid(List.of(new ConfigValidationException.FieldError(e.getParameterName(),
                "has an invalid value"))).response();
    }
}
