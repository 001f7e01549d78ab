package io.bookinghub.spi.booking;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AvailabilitySlot;
import java.util.List;
import java.util.Optional;

/**
 * Two-way booking, for {@link io.bookinghub.spi.Capability#WRITE_BACK}: search the provider's free slots, then
 * create, move and cancel appointments in its calendar.
 *
 * <p><b>Exactly once.</b> The hub commits every write to its command log before calling a method here, and may
 * call it again for the same command after a crash or an answer that never arrived. Each write therefore carries a
 * {@link WriteKey}: connectors send its {@code idempotencyKey} to providers that honour one (the same key must
 * yield the first answer) and store its {@code clientReference} with the booking, so that
 * {@link #lookupByClientReference} can tell the hub whether an attempt whose answer was lost took effect. The hub
 * looks before it sends again. A connector never retries a write on its own unless the provider honours its
 * idempotency key.
 *
 * <p><b>Errors</b> are {@link io.bookinghub.spi.ConnectorException}s. These codes mean the provider refused and
 * nothing changed: {@code SLOT_UNAVAILABLE} (the slot is taken or outside opening hours), {@code VERSION_MISMATCH}
 * (the appointment changed since the version the caller named), {@code NOT_FOUND}, {@code INVALID_INPUT},
 * {@code CONFLICT} (e.g. cancelling a cancelled appointment), {@code AUTH_REQUIRED}. Every other code (above all
 * {@code PROVIDER_UNAVAILABLE}: a timeout, a dropped connection, a 5xx) leaves the outcome unknown, and the hub
 * reconciles before anything is sent again.
 *
 * <p>Implementations must be thread-safe.
 *
 * @since SPI 1.2.0
 */
public interface Bookings {

    /** Free slots from the provider, now (not the synced copy): for {@code live=true} and alternatives. */
    List<AvailabilitySlot> searchAvailability(AvailabilityQuery query);

    /** Books an appointment; returns it as the provider now has it. */
    Appointment create(CreateBooking request);

    /** Moves an appointment to a new start (and optionally another staff member). */
    Appointment reschedule(RescheduleBooking request);

    /** Cancels an appointment. */
    Appointment cancel(CancelBooking request);

    /**
     * The appointment created by the write that carried {@code clientReference}, if the provider has it. Must be
     * answered from the provider (not a cache): the hub relies on "empty" meaning the write did not happen.
     */
    Optional<Appointment> lookupByClientReference(String clientReference);

    /** One appointment as the provider has it now, if it exists (reconciles reschedules and cancellations). */
    Optional<Appointment> appointment(String externalId);
}
