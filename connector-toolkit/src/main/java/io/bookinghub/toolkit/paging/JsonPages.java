package io.bookinghub.toolkit.paging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.http.ProviderHttp;
import io.bookinghub.toolkit.http.ProviderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reading the usual JSON list envelopes, e.g. {@code {"data":[...], "next_page": 3}} or
 * {@code {"items":[...], "next_cursor": "abc"}}. A body without the items array is PROVIDER_ERROR (never an empty
 * page: a sync that took it for one would report a complete read of nothing, and a full sync would then delete
 * everything).
 */
public final class JsonPages {
    private JsonPages() {
    }

    /** The array in {@code field}. */
    public static List<JsonNode> items(JsonNode body, String field) {
        JsonNode array = body == null ? null : body.get(field);
        if (array == null || !array.isArray()) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "the provider's list answer has no '" + field
                    + "' array");
        }
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    /** The next page number in {@code field}: empty when it is missing or null. */
    public static Optional<Integer> nextPage(JsonNode body, String field) {
        JsonNode next = body.get(field);
        if (next == null || next.isNull()) {
            return Optional.empty();
        }
        if (!next.canConvertToInt() || !next.isIntegralNumber() || next.asInt() < 1) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "the provider's '" + field
                    + "' is not a page number");
        }
        return Optional.of(next.asInt());
    }

    /**
     * The next cursor or next link in {@code field} (a dotted path such as {@code links.next} reaches into objects):
     * empty when it is missing, null or blank.
     */
    public static Optional<String> nextCursor(JsonNode body, String field) {
        JsonNode next = body;
        for (String part : field.split("\\.")) {
            next = next == null ? null : next.get(part);
        }
        if (next == null || next.isNull() || next.isTextual() && next.asText().isBlank()) {
            return Optional.empty();
        }
        if (!next.isTextual()) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "the provider's '" + field + "' is not text");
        }
        return Optional.of(next.asText());
    }

    /**
     * Every page of a list paged by number with a next-page envelope, lazily: {@code list} is sent with
     * {@code pageParam=N} and {@code sizeParam=size}, and each answer is read as {@link #numbered}. For
     * {@code GET /bookings?page=N&per_page=M} answering {@code {"data":[...], "next_page": 3 or null}}:
     * {@code JsonPages.numbered(http, ProviderRequest.get("/bookings"), "page", "per_page", 100, "data", "next_page")}.
     * The request is marked as a list ({@link ProviderRequest#list()}).
     */
    public static Stream<Page<JsonNode, Integer>> numbered(ProviderHttp http, ProviderRequest list, String pageParam,
            String sizeParam, int size, String items, String nextPage) {
        requireNonNull(http, "http is null");
        ProviderRequest request = list.list().query(sizeParam, Integer.toString(size));
        return Pages.stream(1, n -> numbered(n, http.json(request.query(pageParam, Integer.toString(n))), items,
                nextPage));
    }

    /** A page from a page-number envelope: {@code items} array and a {@code nextPage} field. */
    public static Page<JsonNode, Integer> numbered(int number, JsonNode body, String items, String nextPage) {
        Optional<Integer> next = nextPage(body, nextPage);
        if (next.isPresent() && next.get() <= number) {
            throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "the provider's '" + nextPage + "' after page "
                    + number + " is " + next.get() + ": the list would never end");
        }
        return new Page<>(number, items(body, items), next);
    }
}
