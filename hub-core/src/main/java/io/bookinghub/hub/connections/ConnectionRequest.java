package io.bookinghub.hub.connections;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Body of PUT /admin/businesses/{businessId}/connections/{connectorId}. Secret properties left out
 * keep their stored value (admins never see them, so they cannot resend them); {@code null} clears one.
 *
 * @param config       property values, validated against the connector's metadata
 * @param syncInterval ISO-8601 duration between scheduled syncs (e.g. PT15M); null for no schedule
 */
public record ConnectionRequest(@JsonProperty("config") Map<String, Object> config,
        @JsonProperty("syncInterval") String syncInterval) {
}
