package io.bookinghub.hub.bookings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Size;

/** Body of {@code POST .../appointments/{id}/cancel}: why, and who cancels ({@code client} or {@code business}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelBody(
        @JsonProperty("reason") @Size(max = 500) String reason,
        @JsonProperty("by") String by) {

    @ValidationMethod(message = "by must be client or business")
    @JsonIgnore
    public boolean isByValid() {
        return by == null || by.equals("client") || by.equals("business");
    }
}
