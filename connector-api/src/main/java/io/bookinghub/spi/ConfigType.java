package io.bookinghub.spi;

/** The value types a connection configuration property may have. */
public enum ConfigType {
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    /** An absolute http(s) URL. */
    URL,
    /** One of {@link ConfigProperty#allowedValues()}. */
    ENUM,
    /** An ISO-8601 duration such as {@code PT15M}. */
    DURATION,
    /** A JSON object or array kept as text; the connector parses it. */
    JSON
}
