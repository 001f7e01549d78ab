package io.bookinghub.hub.bookings;

/**
 * Where a booking command is: {@code PENDING} (committed, nothing sent) → {@code SENT} (committed just before the
 * provider call) → {@code CONFIRMED} (the provider's answer is in the shared model) or {@code REJECTED} (the provider
 * refused, or it certainly did not happen and the hub gave up); a failure whose outcome the hub cannot know leaves
 * {@code UNKNOWN}, which is looked up before any resend and becomes {@code RECONCILED} when it did happen.
 */
public enum CommandState {
    PENDING, SENT, CONFIRMED, REJECTED, UNKNOWN, RECONCILED;

    /** Whether the command has its final answer. */
    public boolean finished() {
        return this == CONFIRMED || this == REJECTED || this == RECONCILED;
    }
}
