package io.bookinghub.hub.api;

import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns connector error codes into HTTP statuses with a JSON body naming the problem. */
public final class ConnectorExceptionMapper implements ExceptionMapper<ConnectorException> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorExceptionMapper.class);

    public static int status(ConnectorException e) {
        return switch (e.code()) {
            case INVALID_INPUT -> 422;
            case NOT_FOUND -> 404;
            case AUTH_REQUIRED, CONFLICT, SLOT_UNAVAILABLE -> 409;
            case VERSION_MISMATCH -> 412;
            case UNSUPPORTED -> 400;
            case FORBIDDEN -> 403;
            case RATE_LIMITED -> 429;
            case PROVIDER_UNAVAILABLE -> 503;
            case PROVIDER_ERROR -> 502;
            case INTERNAL -> 500;
        };
    }

    @Override
    public Response toResponse(ConnectorException e) {
        int status = status(e);
        if (status >= 500) {
            LOG.warn("Request failed: {}", e.toString());
        }
        List<ConfigValidationException.FieldError> fields = e instanceof ConfigValidationException v ? v.errors()
                : List.of();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, e.code().name(), e.getMessage(), fields)).build();
    }
}
