package io.bookinghub.hub.bookings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/**
 * What an app asked for, as stored with the command and hashed for its Idempotency-Key: exactly one of the three
 * bodies, the hub appointment it targets (reschedule, cancel) and the version it named in If-Match.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandRequest(
        @JsonProperty("create") CreateAppointmentBody create,
        @JsonProperty("reschedule") RescheduleBody reschedule,
        @JsonProperty("cancel") CancelBody cancel,
        @JsonProperty("appointmentId") UUID appointmentId,
        @JsonProperty("ifMatch") Long ifMatch) {

    public CommandRequest {
        int bodies = (create == null ? 0 : 1) + (reschedule == null ? 0 : 1) + (cancel == null ? 0 : 1);
        if (bodies != 1) {
            throw new IllegalArgumentException("a command request has exactly one body");
        }
        if ((create == null) != (appointmentId != null)) {
            throw new IllegalArgumentException("reschedule and cancel, and only they, target an appointment");
        }
    }

    CommandKind kind() {
        return create != null ? CommandKind.CREATE : reschedule != null ? CommandKind.RESCHEDULE : CommandKind.CANCEL;
    }
}
