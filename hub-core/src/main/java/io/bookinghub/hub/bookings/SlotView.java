package io.bookinghub.hub.bookings;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.AvailabilitySlot;
import java.time.Instant;

/** A free slot as the app API shows it (from the synced model, or live from the provider). */
public record SlotView(String connectorId, String externalId, String staffExternalId, String serviceExternalId,
        String locationExternalId, Instant start, Instant end, String timeZone) {
    public SlotView {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
    }

    static SlotView of(AvailabilitySlot slot) {
        return new SlotView(slot.ref().connectorId(), slot.ref().externalId(), slot.staffExternalId(),
                slot.serviceExternalId(), slot.locationExternalId(), slot.start(), slot.end(), slot.timeZone().getId());
    }
}
