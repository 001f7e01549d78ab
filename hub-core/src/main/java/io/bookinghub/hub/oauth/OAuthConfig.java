package io.bookinghub.hub.oauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** The hub's OAuth routes. */
public class OAuthConfig {
    private static final Duration MAX_STATE_TTL = Duration.ofHours(1);

    /** How long an admin has between starting a connection and the provider's callback. */
    @NotNull
    @JsonProperty
    private Duration stateTtl = Duration.ofMinutes(10);

    @ValidationMethod(message = "oauth.stateTtl must be positive and at most PT1H")
    public boolean isStateTtlValid() {
        return stateTtl == null || (!stateTtl.isNegative() && !stateTtl.isZero()
                && stateTtl.compareTo(MAX_STATE_TTL) <= 0);
    }

    public Duration getStateTtl() {
        return stateTtl;
    }

    public void setStateTtl(Duration stateTtl) {
        this.stateTtl = stateTtl;
    }
}
