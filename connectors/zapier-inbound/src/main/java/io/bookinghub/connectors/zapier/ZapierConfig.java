package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A connection's configuration, parsed once when the connector is created; every problem names its field.
 * Holds no secret: the secrets go straight from {@link ConnectorConfig} into the verifier, so no toString or
 * error message here can leak one.
 */
record ZapierConfig(
        AuthMode authMode,
        String hmacHeader,
        ZapierRecordKind recordKind,
        Mapping mapping,
        FieldSpec eventIdPointer,
        FieldSpec versionPointer,
        FieldSpec updatedAtPointer,
        String accountId) {

    static final String AUTH_MODE = "authMode";
    static final String SHARED_SECRET = "sharedSecret";
    static final String PREVIOUS_SHARED_SECRET = "previousSharedSecret";
    static final String HMAC_HEADER = "hmacHeader";
    static final String RECORD_KIND = "recordKind";
    static final String MAPPING = "mapping";
    static final String EVENT_ID_POINTER = "eventIdPointer";
    static final String VERSION_POINTER = "versionPointer";
    static final String UPDATED_AT_POINTER = "updatedAtPointer";
    static final String ACCOUNT_ID = "accountId";

    static final String DEFAULT_HMAC_HEADER = "X-Signature";
    static final String DEFAULT_ACCOUNT_ID = "zapier";
    /** Shorter secrets could be guessed online; the bearer token is the connection's only protection. */
    static final int MIN_SECRET_LENGTH = 16;

    // RFC 9110 token characters: what a header name may contain.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");

    /** How a posted request proves it comes from the connection's zap. */
    enum AuthMode {
        /** {@code Authorization: Bearer <sharedSecret>}. */
        BEARER,
        /** {@code <hmacHeader>: sha256=<hex HMAC-SHA256 of the body>}, keyed with the shared secret. */
        HMAC;

        static AuthMode of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    ZapierConfig {
        requireNonNull(authMode, "authMode is null");
        requireNonNull(hmacHeader, "hmacHeader is null");
        requireNonNull(recordKind, "recordKind is null");
        requireNonNull(mapping, "mapping is null");
        requireNonNull(accountId, "accountId is null");
    }

    /**
     * @throws ConnectorException INVALID_INPUT naming the field ({@code mapping.<field>} for mapping entries)
     */
    static ZapierConfig from(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        AuthMode authMode;
        try {
            authMode = AuthMode.of(config.string(AUTH_MODE));
        } catch (IllegalArgumentException e) {
            throw invalid(AUTH_MODE, "must be bearer or hmac");
        }
        checkSecret(config, SHARED_SECRET);
        checkSecret(config, PREVIOUS_SHARED_SECRET);
        String header = config.string(HMAC_HEADER).trim();
        if (!HEADER_NAME.matcher(header).matches()) {
            throw invalid(HMAC_HEADER, "is not an HTTP header name");
        }
        if (header.equalsIgnoreCase("Authorization")) {
            throw invalid(HMAC_HEADER, "must not be Authorization");
        }
        String accountId = config.string(ACCOUNT_ID).trim();
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw invalid(ACCOUNT_ID, "must be 1 to 100 letters, digits or ._:@-");
        }
        ZapierRecordKind kind = ZapierRecordKind.byId(config.string(RECORD_KIND))
                .orElseThrow(() -> invalid(RECORD_KIND, "must be one of " + ZapierRecordKind.ids()));
        try {
            return new ZapierConfig(authMode, header, kind,
                    Mapping.parse(config.string(MAPPING), kind),
                    pointer(config, EVENT_ID_POINTER, FieldType.TEXT),
                    pointer(config, VERSION_POINTER, FieldType.INTEGER),
                    pointer(config, UPDATED_AT_POINTER, FieldType.INSTANT),
                    accountId);
        } catch (MappingException e) {
            throw e.toConnectorException(null);
        }
    }

    private static FieldSpec pointer(ConnectorConfig config, String name, FieldType type) throws MappingException {
        String text = config.get(name).orElse(null);
        return text == null ? null : FieldSpec.pointer(name, type, text.trim());
    }

    private static void checkSecret(ConnectorConfig config, String name) {
        config.get(name).ifPresent(secret -> {
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw invalid(name, "must be at least " + MIN_SECRET_LENGTH + " characters long");
            }
        });
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectorException(ErrorCode.INVALID_INPUT, field + ": " + message);
    }
}
