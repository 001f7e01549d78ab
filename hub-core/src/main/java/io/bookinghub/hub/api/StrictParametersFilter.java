package io.bookinghub.hub.api;

import io.bookinghub.spi.ConfigValidationException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.PathSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Refuses, before routing, a request whose decoded path or query parameters hold a NUL character, an unpaired
 * surrogate or a line break ({@link Text#lineProblem}): such values would fail in PostgreSQL, be stored changed,
 * or forge lines in the log. 400 INVALID_INPUT naming each parameter ("path" for the path). Only the URI is
 * looked at: webhook bodies reach their route as untouched bytes.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class StrictParametersFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        for (PathSegment segment : request.getUriInfo().getPathSegments(true)) {
            String problem = Text.lineProblem(segment.getPath());
            if (problem != null) {
                errors.add(new ConfigValidationException.FieldError("path", problem));
                break;
            }
        }
        Map<String, List<String>> query = new TreeMap<>(request.getUriInfo().getQueryParameters(true));
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String problem = Text.lineProblem(parameter.getKey());
            for (String value : parameter.getValue()) {
                problem = problem != null ? problem : Text.lineProblem(value);
            }
            if (problem != null) {
                // The name itself may be what is wrong: never echo it raw.
                String name = Text.lineProblem(parameter.getKey()) == null ? parameter.getKey() : "(parameter name)";
                errors.add(new ConfigValidationException.FieldError(name, problem));
            }
        }
        if (!errors.isEmpty()) {
            request.abortWith(ErrorBody.invalid(errors).response());
        }
    }
}
