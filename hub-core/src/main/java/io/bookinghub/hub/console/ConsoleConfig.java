package io.bookinghub.hub.console;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The admin console ({@code /console}): how long a sign-in lasts and how large an uploaded file may be. */
public class ConsoleConfig {
    /** A session unused this long ends. */
    @JsonProperty
    private Duration idleTimeout = Duration.ofMinutes(30);

    /** A session ends this long after sign-in, however active. */
    @JsonProperty
    private Duration maxAge = Duration.ofHours(12);

    /** Largest file the upload page keeps for its preview (the API's own limit, imports.maxBytes, is larger). */
    @JsonProperty
    @Min(1024)
    @Max(512L * 1024 * 1024)
    private long maxUploadBytes = 32L * 1024 * 1024;

    @ValidationMethod(message = "idleTimeout must be from PT1M to maxAge, and maxAge at most P7D")
    public boolean isTimeoutsValid() {
        return idleTimeout != null && maxAge != null && idleTimeout.compareTo(Duration.ofMinutes(1)) >= 0
                && idleTimeout.compareTo(maxAge) <= 0 && maxAge.compareTo(Duration.ofDays(7)) <= 0;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public Duration getMaxAge() {
        return maxAge;
    }

    public long getMaxUploadBytes() {
        return maxUploadBytes;
    }
}
