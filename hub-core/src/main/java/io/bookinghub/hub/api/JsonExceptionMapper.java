package io.bookinghub.hub.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.bookinghub.spi.ConfigValidationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON body that cannot be read: 400 INVALID_INPUT naming the field where Jackson knows it. Messages are
 * written here rather than taken from Jackson, whose texts quote the offending input (which may be a secret).
 */
public final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
    private static final Logger LOG = LoggerFactory.getLogger(JsonExceptionMapper.class);
    private static final String DUPLICATE = "Duplicate field '";

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            // The hub's own types cannot be read: not the client's fault.
            LOG.error("A request type cannot be deserialised", e);
            return ErrorBody.of(500, "the hub cannot read this request type").response();
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith(DUPLICATE) && original.endsWith("'")) {
            String key = original.substring(DUPLICATE.length(), original.length() - 1);
            return field(prefix(e, key), "appears more than once");
        }
        String path = e instanceof JsonMappingException m ? path(m) : null;
        String message = describe(e);
        return path == null ? ErrorBody.of(400, message).response() : field(path, message);
    }

    private static Response field(String field, String message) {
        return ErrorBody.invalid(List.of(new ConfigValidationException.FieldError(field, message))).response();
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof StrictJson.RefusedTextException) {
            return e.getOriginalMessage();
        }
        if (e instanceof UnrecognizedPropertyException) {
            return "is not a known field";
        }
        if (e instanceof ValueInstantiationException v) {
            // Records check their arguments and say what is wrong in the hub's own words.
            Throwable cause = v.getCause();
            return cause instanceof IllegalArgumentException && cause.getMessage() != null
                    ? "is invalid: " + cause.getMessage() : "is invalid";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "must be " + expected(m.getTargetType());
        }
        if (e instanceof InputCoercionException) {
            return "a number is out of range";
        }
        if (e instanceof JsonEOFException) {
            return "the JSON body ends early";
        }
        if (e instanceof JsonMappingException) {
            return "has an invalid value";
        }
        JsonLocation at = e.getLocation();
        return at == null ? "malformed JSON" : "malformed JSON at line " + at.getLineNr() + ", column "
                + at.getColumnNr();
    }

    /** {@code config.greeting}, {@code items[2].name}; null when the error is not inside any field. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? null : path.toString();
    }

    private static String prefix(JsonProcessingException e, String key) {
        String parent = e instanceof JsonMappingException m ? path(m) : null;
        return parent == null ? key : parent + "." + key;
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration such as PT15M";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant such as 2026-11-24T09:00:00Z";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a value of another type";
    }
}
