package io.bookinghub.toolkit.webhook;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConfigValidationException.FieldError;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to verify a connection's webhooks, by named fields rather than positions; {@link #verifier()} makes the
 * {@link WebhookSignatureVerifier}. Build one with {@link #builder(SignatureScheme)}:
 *
 * <pre>{@code
 * WebhookSignatureVerifier verifier = WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
 *         .secret("webhookSecret", config.string("webhookSecret"))
 *         .secret("webhookSecretPrevious", config.get("webhookSecretPrevious").orElse(null))
 *         .headerName("X-Signature").signaturePrefix("")
 *         .verifier();
 * }</pre>
 *
 * <p>The constructor is where every rule lives: a problem is reported as a {@link ConfigValidationException}
 * (INVALID_INPUT) naming the field — for a secret, the configuration property it came from
 * ({@link Secret#field()}), never its position or its value; for the other settings, this record's component
 * name ({@code headerName}, {@code tolerance}, {@code notificationUrl}).
 *
 * @param scheme          the signature scheme
 * @param secrets         accepted secrets, each named by its configuration field (two during rotation); none
 *                        gives a verifier that refuses every request with {@code NO_SECRET}
 * <p>Settings a scheme does not use are ignored rather than refused, so a connector whose scheme is chosen by
 * configuration can pass all of its settings whatever the scheme.
 *
 * @param headerName      the signature header, or null for the scheme's default; ignored by
 *                        {@code standard-webhooks}, whose header names are fixed by the standard
 * @param signaturePrefix what precedes the hex digits in the header for {@code hex-hmac}, or null for
 *                        {@value HexHmacVerifier#DEFAULT_PREFIX}; empty for a provider that sends the bare hex;
 *                        ignored by the others
 * @param tolerance       allowed clock difference either way for the {@linkplain SignatureScheme#timed() timed}
 *                        schemes, or null for {@link #DEFAULT_TOLERANCE}; ignored by the others
 * @param clock           time source of the timed schemes (required for them); ignored by the others
 * @param notificationUrl the URL registered with the provider: required by {@code url-body-hmac}, ignored by
 *                        the others
 */
public record WebhookVerifierConfig(
        SignatureScheme scheme,
        List<Secret> secrets,
        String headerName,
        String signaturePrefix,
        Duration tolerance,
        Clock clock,
        String notificationUrl) {

    /** Tolerance of the timed schemes when none is configured. */
    public static final Duration DEFAULT_TOLERANCE = StandardWebhooksVerifier.DEFAULT_TOLERANCE;

    /**
     * One secret and the configuration field it came from, which errors name.
     *
     * @param field the configuration property holding the secret, e.g. {@code webhookSecret}
     * @param value the secret; never shown by {@link #toString()}
     */
    public record Secret(String field, String value) {
        public Secret {
            requireNonNull(field, "field is null");
            requireNonNull(value, field + " is null");
        }

        @Override
        public String toString() {
            return "Secret[field=" + field + "]";
        }
    }

    /**
     * @throws ConfigValidationException naming every field that is not usable for the scheme
     * @throws NullPointerException      if the scheme or secrets are null, or the clock of a timed scheme
     */
    public WebhookVerifierConfig {
        requireNonNull(scheme, "scheme is null");
        secrets = List.copyOf(requireNonNull(secrets, "secrets is null"));
        if (scheme.timed()) {
            requireNonNull(clock, "clock is null (scheme " + scheme.configName() + " checks timestamps)");
            tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
        }
        List<FieldError> errors = new ArrayList<>();
        for (Secret secret : secrets) {
            String problem = scheme == SignatureScheme.STANDARD_WEBHOOKS
                    ? SignatureSupport.standardWebhooksKeyProblem(secret.value())
                    : SignatureSupport.utf8KeyProblem(secret.value());
            if (problem != null) {
                errors.add(new FieldError(secret.field(), problem + " (scheme " + scheme.configName() + ")"));
            }
        }
        if (headerName != null && headerName.isBlank()) {
            errors.add(new FieldError("headerName", "must not be blank"));
        }
        if (tolerance != null && tolerance.isNegative()) {
            errors.add(new FieldError("tolerance", "must not be negative"));
        }
        if (scheme == SignatureScheme.URL_BODY_HMAC && (notificationUrl == null || notificationUrl.isBlank())) {
            errors.add(new FieldError("notificationUrl", "is required by scheme url-body-hmac"));
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
    }

    public static Builder builder(SignatureScheme scheme) {
        return new Builder(scheme);
    }

    /** The verifier this configuration describes; immutable and thread-safe, so one serves a connection. */
    public WebhookSignatureVerifier verifier() {
        List<String> values = secrets.stream().map(Secret::value).toList();
        return switch (scheme) {
            case STANDARD_WEBHOOKS -> new StandardWebhooksVerifier(values, tolerance, clock);
            case HEX_HMAC -> new HexHmacVerifier(values, headerOr(HexHmacVerifier.DEFAULT_HEADER),
                    signaturePrefix == null ? HexHmacVerifier.DEFAULT_PREFIX : signaturePrefix);
            case TIMESTAMPED_HMAC -> new TimestampedHmacVerifier(values,
                    headerOr(TimestampedHmacVerifier.DEFAULT_HEADER), tolerance, clock);
            case URL_BODY_HMAC -> new UrlBodyHmacVerifier(values, headerOr(UrlBodyHmacVerifier.DEFAULT_HEADER),
                    notificationUrl);
        };
    }

    private String headerOr(String defaultHeader) {
        return headerName == null ? defaultHeader : headerName;
    }

    /** Named steps for {@link WebhookVerifierConfig}; {@link #build()} calls its validating constructor. */
    public static final class Builder {
        private final SignatureScheme scheme;
        private final List<Secret> secrets = new ArrayList<>(2);
        private String headerName;
        private String signaturePrefix;
        private Duration tolerance;
        private Clock clock;
        private String notificationUrl;

        private Builder(SignatureScheme scheme) {
            this.scheme = requireNonNull(scheme, "scheme is null");
        }

        /**
         * Adds an accepted secret read from configuration field {@code field}. A null value (an optional
         * property left unset, such as the previous secret outside a rotation) is skipped; an empty one is an
         * error naming the field.
         */
        public Builder secret(String field, String value) {
            if (value != null) {
                secrets.add(new Secret(field, value));
            }
            return this;
        }

        public Builder headerName(String headerName) {
            this.headerName = headerName;
            return this;
        }

        public Builder signaturePrefix(String signaturePrefix) {
            this.signaturePrefix = signaturePrefix;
            return this;
        }

        public Builder tolerance(Duration tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder notificationUrl(String notificationUrl) {
            this.notificationUrl = notificationUrl;
            return this;
        }

        /** @throws ConfigValidationException naming every unusable field */
        public WebhookVerifierConfig build() {
            return new WebhookVerifierConfig(scheme, secrets, headerName, signaturePrefix, tolerance, clock,
                    notificationUrl);
        }

        /** {@code build().verifier()}. */
        public WebhookSignatureVerifier verifier() {
            return build().verifier();
        }
    }
}
