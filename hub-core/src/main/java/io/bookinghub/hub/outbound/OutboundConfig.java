package io.bookinghub.hub.outbound;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The policy for every network call a connector makes ({@code outbound:} in config.yml). */
public class OutboundConfig {
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Comma-separated {@code host:port} patterns (HUB_OUTBOUND_ALLOW) that may be reached over http and at
     * private addresses: {@code localhost:8089}, {@code 127.0.0.1:*}, {@code *.example.test:443},
     * {@code [::1]:*}. Empty: only public https destinations.
     */
    @JsonProperty
    private String allow = "";

    /** Largest response body read into memory; a larger one fails the call. */
    @Min(1)
    @Max(1024L * 1024 * 1024)
    @JsonProperty
    private long maxResponseBytes = 10L * 1024 * 1024;

    /** Upper bound on a connector's connect timeout. */
    @NotNull
    @JsonProperty
    private Duration maxConnectTimeout = Duration.ofSeconds(10);

    /** Upper bound on a connector's timeout for a whole exchange (connect, send, read the response). */
    @NotNull
    @JsonProperty
    private Duration maxRequestTimeout = Duration.ofSeconds(60);

    @ValidationMethod(message = "outbound.allow must be comma-separated host:port patterns: a host name, "
            + "*.domain, an IPv4 address or [IPv6 address], then : and a port or *")
    public boolean isAllowValid() {
        try {
            allowRules();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @ValidationMethod(message = "outbound.maxConnectTimeout must be positive and at most PT10M")
    public boolean isMaxConnectTimeoutValid() {
        return isTimeoutValid(maxConnectTimeout);
    }

    @ValidationMethod(message = "outbound.maxRequestTimeout must be positive and at most PT10M")
    public boolean isMaxRequestTimeoutValid() {
        return isTimeoutValid(maxRequestTimeout);
    }

    private static boolean isTimeoutValid(Duration timeout) {
        return timeout == null || (!timeout.isNegative() && !timeout.isZero() && timeout.compareTo(MAX_TIMEOUT) <= 0);
    }

    /** @throws IllegalArgumentException naming the first bad pattern */
    public List<AllowRule> allowRules() {
        if (allow == null || allow.isBlank()) {
            return List.of();
        }
        return Arrays.stream(allow.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(AllowRule::parse)
                .toList();
    }

    /**
     * Adds a pattern, for a command that starts a provider stand-in beside the hub (the demo's sandbox) and
     * knows its address only once it runs. Call before the hub starts.
     */
    public void allowAlso(String pattern) {
        AllowRule.parse(pattern);
        List<String> patterns = new ArrayList<>();
        if (allow != null && !allow.isBlank()) {
            patterns.add(allow);
        }
        patterns.add(pattern);
        allow = String.join(",", patterns);
    }

    public long getMaxResponseBytes() {
        return maxResponseBytes;
    }

    public Duration getMaxConnectTimeout() {
        return maxConnectTimeout;
    }

    public Duration getMaxRequestTimeout() {
        return maxRequestTimeout;
    }
}
