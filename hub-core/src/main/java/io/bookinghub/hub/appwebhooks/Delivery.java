package io.bookinghub.hub.appwebhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One message to one endpoint, as the delivery log shows it.
 *
 * @param status   {@code pending} (waiting, being retried, or held behind an older delivery of the same record),
 *                 {@code delivered} (a 2xx) or {@code failed} (retried for {@code retryFor} in vain)
 * @param attempts how many times it was sent
 * @param replayOf the delivery this one replays, when it is a manual replay
 * @param payload  the signed body
 * @param log      every attempt, oldest first (only on the single-delivery route)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(long id, @JsonIgnore UUID endpointId, String messageId, String eventType, String status,
        int attempts, Instant nextAttemptAt, Instant createdAt, Instant finishedAt, Integer lastStatusCode,
        String lastError, Long replayOf, String payload, List<Attempt> log) {

    /** One attempt: the receiver's status code, or what went wrong before there was one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int attempt, Instant attemptedAt, Integer statusCode, String error, long durationMillis) {
    }

    Delivery withLog(List<Attempt> attempts) {
        return new Delivery(id, endpointId, messageId, eventType, status, this.attempts, nextAttemptAt, createdAt,
                finishedAt, lastStatusCode, lastError, replayOf, payload, List.copyOf(attempts));
    }
}
