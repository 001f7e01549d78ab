package io.bookinghub.hub.bookings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /v1/businesses/{businessId}/appointments}. {@code staff} null or {@code "any"} books whoever
 * is free; {@code connector} picks the connection when the business has several that can book.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateAppointmentBody(
        @JsonProperty("service") @NotBlank @Size(max = 255) String service,
        @JsonProperty("variant") @Size(max = 255) String variant,
        @JsonProperty("staff") @Size(max = 255) String staff,
        @JsonProperty("start") @NotBlank String start,
        @JsonProperty("client") @NotNull @Valid ClientBody client,
        @JsonProperty("notes") @Size(max = 2000) String notes,
        @JsonProperty("connector") @Size(max = 100) String connector) {
}
