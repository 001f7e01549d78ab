package io.bookinghub.hub.api;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.crypto.MissingKeyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every exception no more specific mapper takes, in place of Dropwizard's {@code LoggingExceptionMapper}.
 * JAX-RS exceptions (404 unknown path, 405, 406, 415, the 401/403 of the auth filters) keep their status and
 * headers and get the {@link ErrorBody} shape; anything else is the hub's own failure: a 500 whose body
 * carries an id to find the logged stack trace by, and never the exception's text.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    private final RandomGenerator random;

    public UnexpectedExceptionMapper(RandomGenerator random) {
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            return reshape(web);
        }
        if (endedEarly(e)) {
            // The client went away or sent less than it announced: nothing failed on this side.
            LOG.debug("Request body ended early", e);
            return ErrorBody.of(400, "the request body ended before its announced length").response();
        }
        MissingKeyException missing = missingKey(e);
        if (missing != null) {
            // The hub's own configuration is at fault, and retrying cannot help: say which key is missing.
            LOG.warn("Request failed: {}", missing.getMessage());
            return ErrorBody.of(500, "the hub cannot open stored secrets: " + missing.getMessage()).response();
        }
        String id = String.format("%016x", random.nextLong());
        LOG.error("Request failed unexpectedly (error id {})", id, e);
        return ErrorBody.of(500, "the hub failed to answer this request; its log has the details under error id "
                + id).response();
    }

    private static MissingKeyException missingKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingKeyException missing) {
                return missing;
            }
        }
        return null;
    }

    /** The body ended before its announced length, however deep Jersey wrapped Jetty's exception. */
    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EofException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Jersey sends a JAX-RS exception's response as it is when it has an entity and asks no mapper, so whoever
     * builds one (the auth filter, {@link BadRequestException}) gives it an {@link ErrorBody}; those without
     * one (Jersey's own 404, 405, 406, 415, {@code RolesAllowed}'s 403) get it here, keeping their headers.
     */
    private static Response reshape(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        return Response.fromResponse(original).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(status, message(status, e))).build();
    }

    private static String message(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here (the Allow header lists the ones that are)";
            case 406 -> "the answer can only be application/json";
            case 415 -> "unsupported Content-Type; send application/json";
            case 401 -> "an API key is required: 'Authorization: Bearer <key>'";
            case 403 -> "this API key may not do this";
            // Jersey's own messages are generic ("HTTP 400 Bad Request"); the hub's are written for the client.
            default -> e.getMessage() == null ? "HTTP " + status : e.getMessage();
        };
    }
}
