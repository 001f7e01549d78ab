package io.bookinghub.hub.businesses;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.ZoneId;

/** Body of POST /admin/businesses. */
public record BusinessRequest(
        @JsonProperty("name") @NotBlank @Size(max = 200) String name,
        @JsonProperty("timeZone") @NotNull String timeZone) {

    /** Only region ids (Europe/Warsaw), not offsets: an offset cannot follow daylight saving time. */
    @ValidationMethod(message = "timeZone must be an IANA time zone id such as Europe/Warsaw")
    @JsonIgnore
    public boolean isTimeZoneValid() {
        return timeZone == null || ZoneId.getAvailableZoneIds().contains(timeZone);
    }
}
