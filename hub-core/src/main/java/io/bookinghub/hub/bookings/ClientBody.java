package io.bookinghub.hub.bookings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Size;

/** Who an appointment is for: a known client's external id, or a name with a phone number or e-mail address. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientBody(
        @JsonProperty("id") @Size(max = 255) String id,
        @JsonProperty("name") @Size(max = 200) String name,
        @JsonProperty("phone") @Size(max = 50) String phone,
        @JsonProperty("email") @Size(max = 254) String email) {

    @ValidationMethod(message = "needs an id, or a name with a phone or an email")
    @JsonIgnore
    public boolean isIdentified() {
        return present(id) || (present(name) && (present(phone) || present(email)));
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
