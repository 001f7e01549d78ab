package io.bookinghub.spi.booking;

/**
 * Who the booking is for: a client the provider knows ({@code externalId}), or a new or returning one by name with
 * a phone number or e-mail address (the provider matches or creates the client).
 */
public record BookingClient(String externalId, String name, String phone, String email) {
    public BookingClient {
        externalId = blankToNull(externalId);
        name = blankToNull(name);
        phone = blankToNull(phone);
        email = blankToNull(email);
        if (externalId == null && (name == null || (phone == null && email == null))) {
            throw new IllegalArgumentException("a client needs an id, or a name with a phone or an email");
        }
    }

    public static BookingClient known(String externalId) {
        return new BookingClient(externalId, null, null, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
