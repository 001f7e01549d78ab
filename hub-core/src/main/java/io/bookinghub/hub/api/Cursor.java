package io.bookinghub.hub.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A keyset position: the sort key of the last row of a page, so the next page starts right after it with an index
 * range instead of skipping rows ({@code OFFSET} reads and drops every skipped row, so its cost grew with depth, and
 * rows inserted meanwhile shifted pages). On the wire it is opaque: base64url of a JSON array naming the listing
 * first, so a cursor of one listing is refused by another instead of read as the wrong key.
 *
 * <p>Not signed: a forged cursor only moves the start of a listing the caller may read anyway.
 *
 * @param listing the listing it belongs to, e.g. {@code appointments}
 * @param keys    the sort key of the last row served, in the listing's order, as text
 */
public record Cursor(String listing, List<String> keys) {
    /** Longer than any real key (names are at most a few hundred characters) and short enough for a URL. */
    static final int MAX_LENGTH = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Cursor {
        requireNonNull(listing, "listing is null");
        keys = List.copyOf(keys);
    }

    /** The position after a row whose sort key is {@code keys} (instants and UUIDs by their {@code toString}). */
    public static Cursor after(String listing, Object... keys) {
        List<String> text = new ArrayList<>(keys.length);
        for (Object key : keys) {
            text.add(String.valueOf(requireNonNull(key, "key is null")));
        }
        return new Cursor(listing, text);
    }

    /** The opaque text a client sends back as {@code cursor}. */
    public String encode() {
        ArrayNode array = JSON.createArrayNode().add(listing);
        keys.forEach(array::add);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(array.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the cursor sent as parameter {@code parameter}: null when absent (the first page), 400 naming the
     * parameter when it is not a cursor of {@code listing} with {@code arity} keys.
     */
    public static Cursor decode(String parameter, String text, String listing, int arity) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(parameter);
        }
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(text.trim()));
            if (node == null || !node.isArray() || node.size() != arity + 1 || !listing.equals(node.get(0).asText())) {
                throw invalid(parameter);
            }
            List<String> keys = new ArrayList<>(arity);
            for (int i = 1; i <= arity; i++) {
                if (!node.get(i).isTextual() || Text.problem(node.get(i).textValue()) != null) {
                    throw invalid(parameter);
                }
                keys.add(node.get(i).textValue());
            }
            return new Cursor(listing, keys);
        } catch (IllegalArgumentException | IOException e) {
            throw invalid(parameter);
        }
    }

    public String text(int index) {
        return keys.get(index);
    }

    /** Key {@code index} as an instant; a cursor whose key is not one is refused as {@code parameter}. */
    public Instant instant(int index, String parameter) {
        try {
            return Instant.parse(keys.get(index));
        } catch (DateTimeParseException e) {
            throw invalid(parameter);
        }
    }

    /** Key {@code index} as a UUID; a cursor whose key is not one is refused as {@code parameter}. */
    public UUID uuid(int index, String parameter) {
        try {
            return UUID.fromString(keys.get(index));
        } catch (IllegalArgumentException e) {
            throw invalid(parameter);
        }
    }

    /** Key {@code index} as a whole number; a cursor whose key is not one is refused as {@code parameter}. */
    public long number(int index, String parameter) {
        try {
            return Long.parseLong(keys.get(index));
        } catch (NumberFormatException e) {
            throw invalid(parameter);
        }
    }

    private static BadRequestException invalid(String parameter) {
        return BadRequestException.parameter(parameter, "must be the 'next' cursor of a page of this listing");
    }
}
