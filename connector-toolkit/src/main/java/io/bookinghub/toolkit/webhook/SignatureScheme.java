package io.bookinghub.toolkit.webhook;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The signature schemes the toolkit verifies, each with the name a connector's configuration uses for it (an
 * {@link io.bookinghub.spi.ConfigType#ENUM} property's allowed values can be {@link #configNames()}).
 */
public enum SignatureScheme {
    /** {@link StandardWebhooksVerifier}: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}. */
    STANDARD_WEBHOOKS("standard-webhooks", true),
    /** {@link HexHmacVerifier}: GitHub style, {@code sha256=<hex>} of the body. */
    HEX_HMAC("hex-hmac", false),
    /** {@link TimestampedHmacVerifier}: Stripe style, {@code t=<unix>,v1=<hex>}. */
    TIMESTAMPED_HMAC("timestamped-hmac", true),
    /** {@link UrlBodyHmacVerifier}: Square style, base64 HMAC of the notification URL and the body. */
    URL_BODY_HMAC("url-body-hmac", false);

    private final String configName;
    private final boolean timed;

    SignatureScheme(String configName, boolean timed) {
        this.configName = configName;
        this.timed = timed;
    }

    /** The name used in configuration, e.g. {@code hex-hmac}. */
    public String configName() {
        return configName;
    }

    /** Whether the scheme signs a timestamp, so a clock and a tolerance apply. */
    public boolean timed() {
        return timed;
    }

    /** Every {@link #configName()}, in declaration order. */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(SignatureScheme::configName).toList();
    }

    /**
     * The scheme a configuration names, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    public static SignatureScheme fromConfigName(String name) {
        requireNonNull(name, "name is null");
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (SignatureScheme scheme : values()) {
            if (scheme.configName.equals(wanted)) {
                return scheme;
            }
        }
        throw new IllegalArgumentException("unknown webhook signature scheme '" + name + "'; expected one of "
                + configNames());
    }
}
