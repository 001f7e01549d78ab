package io.bookinghub.hub.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Money;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An appointment as the admin API shows it. {@code clientName} is looked up by the client's external id
 * (null when that client is not stored); {@code raw} is the provider payload as JSON, present only when
 * asked for.
 */
public record AppointmentView(UUID id, String connectorId, String externalId, String clientExternalId,
        String clientName, String locationExternalId, Instant start, Instant end, String timeZone,
        AppointmentStatus status, String providerStatus, String cancellationReason, Instant cancelledAt,
        String clientNote, String businessNote, Money price, String rescheduledFromExternalId, Long providerVersion,
        Instant providerUpdatedAt, List<AppointmentSegmentView> segments, boolean deleted, Instant deletedAt,
        Instant createdAt, Instant updatedAt, @JsonRawValue String raw) {
    public AppointmentView {
        requireNonNull(id, "id is null");
        requireNonNull(externalId, "externalId is null");
        segments = List.copyOf(requireNonNull(segments, "segments is null"));
    }
}
