package io.bookinghub.hub.connections;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;
import java.time.Duration;

/** The {@code connections} section of config.yml. */
public class ConnectionsConfig {
    /** How long a connection's connector instance stays live unused before it is closed (rebuilt on next use). */
    @JsonProperty
    private Duration idleInstanceTimeout = Duration.ofMinutes(30);

    public Duration getIdleInstanceTimeout() {
        return idleInstanceTimeout;
    }

    @AssertTrue(message = "idleInstanceTimeout must be positive")
    boolean isIdleInstanceTimeoutValid() {
        return idleInstanceTimeout != null && !idleInstanceTimeout.isNegative() && !idleInstanceTimeout.isZero();
    }
}
