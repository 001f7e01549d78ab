package io.bookinghub.hub.bookings;

/** What a booking command asks the provider to do. */
public enum CommandKind {
    CREATE, RESCHEDULE, CANCEL
}
