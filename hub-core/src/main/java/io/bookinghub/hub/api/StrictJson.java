package io.bookinghub.hub.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * How the API reads JSON bodies: exactly what was sent, or a 400 naming the field. A JSON number or boolean is
 * not a string ({@code {"name":42}} does not become "42"), a string is not a number or boolean, a key may
 * appear once, and no string or key may hold text PostgreSQL cannot store ({@link Text}).
 */
public final class StrictJson {
    private StrictJson() {
    }

    /**
     * Applies the rules to the mapper Jersey reads request bodies with. Called once the configuration file was
     * read, since that file relies on Jackson's coercions ("8080" from an environment variable is a port).
     */
    public static void configure(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        SimpleModule module = new SimpleModule("hub-strict-json");
        module.addDeserializer(String.class, new StrictStringDeserializer());
        module.addKeyDeserializer(String.class, new StrictKeyDeserializer());
        mapper.registerModule(module);
    }

    /** Thrown for a string or key the hub refuses; Jackson adds the path to the field. */
    public static final class RefusedTextException extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        RefusedTextException(JsonParser parser, String problem) {
            super(parser, problem);
        }
    }

    /** Strings only from JSON strings (also inside maps and lists of any type), checked by {@link Text}. */
    private static final class StrictStringDeserializer extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        StrictStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            String value = p.getText();
            String problem = Text.problem(value);
            if (problem != null) {
                throw new RefusedTextException(p, problem);
            }
            return value;
        }
    }

    private static final class StrictKeyDeserializer extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            String problem = Text.problem(key);
            if (problem != null) {
                throw new RefusedTextException(ctxt.getParser(), "key " + problem);
            }
            return key;
        }
    }
}
