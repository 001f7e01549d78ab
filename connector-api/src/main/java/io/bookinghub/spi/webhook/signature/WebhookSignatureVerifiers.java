package io.bookinghub.spi.webhook.signature;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Creates a {@link WebhookSignatureVerifier} from a connection's configuration, so that connectors can
 * let the scheme be chosen by configuration rather than code.
 */
public final class WebhookSignatureVerifiers {

    /** {@link StandardWebhooksVerifier}. */
    public static final String STANDARD_WEBHOOKS = "standard-webhooks";
    /** {@link HexHmacVerifier} (GitHub style). */
    public static final String HEX_HMAC = "hex-hmac";
    /** {@link TimestampedHmacVerifier} (Stripe style). */
    public static final String TIMESTAMPED_HMAC = "timestamped-hmac";
    /** {@link UrlBodyHmacVerifier} (Square style). */
    public static final String URL_BODY_HMAC = "url-body-hmac";

    /** Every scheme name {@link #create} accepts. */
    public static final List<String> SCHEMES = List.of(STANDARD_WEBHOOKS, HEX_HMAC, TIMESTAMPED_HMAC, URL_BODY_HMAC);

    /** Tolerance used when none is configured. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignatureVerifiers() {
    }

    /**
     * Creates the verifier for a scheme.
     *
     * @param scheme          one of {@link #SCHEMES}, case-insensitive
     * @param secrets         accepted secrets (two during rotation); an empty list yields a verifier
     *                        that refuses every request with {@code NO_SECRET}
     * @param headerName      signature header, or null for the scheme's default; ignored by
     *                        {@code standard-webhooks}, whose header names are fixed by the standard
     * @param tolerance       allowed clock difference either way for the timed schemes
     *                        ({@code standard-webhooks}, {@code timestamped-hmac}), or null for
     *                        {@link #DEFAULT_TOLERANCE}; ignored by the others
     * @param clock           time source of the timed schemes; ignored by the others, which may be given
     *                        null
     * @param notificationUrl the URL registered with the provider; required by {@code url-body-hmac},
     *                        ignored by the others
     * @throws IllegalArgumentException for an unknown scheme, a malformed secret (the message names its
     *         position, never its value), a blank header name, a negative tolerance, or a missing
     *         notification URL for {@code url-body-hmac}
     */
    public static WebhookSignatureVerifier create(String scheme, List<String> secrets, String headerName,
            Duration tolerance, Clock clock, String notificationUrl) {
        requireNonNull(scheme, "scheme is null");
        requireNonNull(secrets, "secrets is null");
        Duration effectiveTolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
        switch (scheme.trim().toLowerCase(Locale.ROOT)) {
            case STANDARD_WEBHOOKS:
                return new StandardWebhooksVerifier(secrets, effectiveTolerance, requireNonNull(clock, "clock is null"));
            case HEX_HMAC:
                return new HexHmacVerifier(secrets, headerName == null ? HexHmacVerifier.DEFAULT_HEADER : headerName);
            case TIMESTAMPED_HMAC:
                return new TimestampedHmacVerifier(secrets,
                        headerName == null ? TimestampedHmacVerifier.DEFAULT_HEADER : headerName,
                        effectiveTolerance, requireNonNull(clock, "clock is null"));
            case URL_BODY_HMAC:
                if (notificationUrl == null) {
                    throw new IllegalArgumentException("scheme " + URL_BODY_HMAC + " needs a notification URL");
                }
                return new UrlBodyHmacVerifier(secrets,
                        headerName == null ? UrlBodyHmacVerifier.DEFAULT_HEADER : headerName, notificationUrl);
            default:
                throw new IllegalArgumentException("unknown webhook signature scheme '" + scheme
                        + "'; expected one of " + SCHEMES);
        }
    }
}
