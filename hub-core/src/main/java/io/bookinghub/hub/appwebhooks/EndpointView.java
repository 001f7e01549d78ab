package io.bookinghub.hub.appwebhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An endpoint as the API shows it: never its secret (that is shown once, in {@link CreatedEndpoint}).
 *
 * @param previousSecretValidUntil while a rotation's overlap lasts, until when the previous secret still signs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(UUID id, String url, List<String> eventTypes, List<String> businessIds, String status,
        String disabledReason, Instant disabledAt, Instant previousSecretValidUntil, Instant createdAt) {
    public EndpointView {
        eventTypes = List.copyOf(eventTypes);
        businessIds = List.copyOf(businessIds);
    }
}
