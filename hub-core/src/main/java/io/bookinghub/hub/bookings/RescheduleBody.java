package io.bookinghub.hub.bookings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST .../appointments/{id}/reschedule}: the new start, and optionally another staff member. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RescheduleBody(
        @JsonProperty("start") @NotBlank String start,
        @JsonProperty("staff") @Size(max = 255) String staff) {
}
