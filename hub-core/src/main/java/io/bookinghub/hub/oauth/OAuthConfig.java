package io.bookinghub.hub.oauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/** The hub's OAuth routes. */
public class OAuthConfig {
    private static final Duration MAX_TTL = Duration.ofHours(1);

    /** How long an admin has between starting a connection and the provider's callback. */
    @NotNull
    @JsonProperty
    private Duration stateTtl = Duration.ofMinutes(10);

    /** How long a one-time connect link stays usable. */
    @NotNull
    @JsonProperty
    private Duration linkTtl = Duration.ofMinutes(15);

    /**
     * The hub's public address ({@code https://hub.example.com}) that connect links start with. It is
     * configured, never taken from the request's Host header: links go into emails, and a tenant must not
     * be able to point them elsewhere. Empty: links are answered as paths relative to the hub.
     */
    @JsonProperty
    private String publicBaseUrl = "";

    @ValidationMethod(message = "oauth.stateTtl must be positive and at most PT1H")
    public boolean isStateTtlValid() {
        return isValidTtl(stateTtl);
    }

    @ValidationMethod(message = "oauth.linkTtl must be positive and at most PT1H")
    public boolean isLinkTtlValid() {
        return isValidTtl(linkTtl);
    }

    @ValidationMethod(message = "oauth.publicBaseUrl must be an absolute http(s) URL without query or fragment, "
            + "or empty")
    public boolean isPublicBaseUrlValid() {
        if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
            return true;
        }
        try {
            URI uri = new URI(publicBaseUrl.trim());
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    // Null is left to @NotNull, which names the field.
    private static boolean isValidTtl(Duration ttl) {
        return ttl == null || (!ttl.isNegative() && !ttl.isZero() && ttl.compareTo(MAX_TTL) <= 0);
    }

    public Duration getStateTtl() {
        return stateTtl;
    }

    public void setStateTtl(Duration stateTtl) {
        this.stateTtl = stateTtl;
    }

    public Duration getLinkTtl() {
        return linkTtl;
    }

    public void setLinkTtl(Duration linkTtl) {
        this.linkTtl = linkTtl;
    }

    /** The configured public base URL without a trailing slash; empty when links are to be relative. */
    public Optional<String> publicBaseUrl() {
        if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
            return Optional.empty();
        }
        String trimmed = publicBaseUrl.trim();
        return Optional.of(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
    }

    public void setPublicBaseUrl(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }
}
