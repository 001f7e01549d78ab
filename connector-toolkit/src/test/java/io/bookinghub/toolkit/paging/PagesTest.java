package io.bookinghub.toolkit.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagesTest {
    private final List<Object> fetched = new ArrayList<>();

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void pageNumbersAreReadLazilyUntilAShortPage() {
        // 7 items, 3 per page, no total: pages 1, 2 full, page 3 short.
        PageSource<Integer, Integer> source = n -> {
            fetched.add(n);
            List<Integer> items = range((n - 1) * 3, Math.min(n * 3, 7));
            return new Page<>(n, items, Pages.nextNumber(n, items.size(), 3, -1));
        };

        Iterator<Page<Integer, Integer>> pages = Pages.iterator(1, source);
        pages.next();
        assertThat(fetched).containsExactly(1);

        assertThat(Pages.items(1, source).collect(Collectors.toList())).isEqualTo(range(0, 7));
        List<Integer> numbers = new ArrayList<>();
        Pages.iterable(1, source).forEach(p -> numbers.add(p.position()));
        assertThat(numbers).containsExactly(1, 2, 3);
        assertThat(Pages.nextNumber(3, 3, 3, 3)).isEmpty();
        assertThat(Pages.nextNumber(2, 3, 3, 3)).contains(3);
        assertThat(Pages.nextNumber(1, 0, 3, 5)).as("an empty page ends the list").isEmpty();
    }

    @Test
    void cursorsFollowTheProvidersNextAndARepeatedCursorFailsInsteadOfLooping() {
        Map<String, String> next = Map.of("start", "c1", "c1", "c2");
        PageSource<String, String> source = c -> new Page<>(c, List.of(c), Optional.ofNullable(next.get(c)));
        assertThat(Pages.items("start", source).collect(Collectors.toList())).containsExactly("start", "c1", "c2");

        PageSource<String, String> loop = c -> new Page<>(c, List.of(c), Optional.of(c.equals("a") ? "b" : "a"));
        assertThatThrownBy(() -> Pages.items("a", loop).count()).isInstanceOfSatisfying(ConnectorException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("repeats a page");
                });
    }

    @Test
    void offsetsAdvanceByWhatThePageHeld() {
        PageSource<Integer, Long> source = offset -> {
            List<Integer> items = range(offset.intValue(), (int) Math.min(offset + 4, 10));
            return new Page<>(offset, items, Pages.nextOffset(offset, items.size(), 4, 10));
        };
        assertThat(Pages.stream(0L, source).map(Page::position).collect(Collectors.toList()))
                .containsExactly(0L, 4L, 8L);
        assertThat(Pages.items(0L, source).count()).isEqualTo(10);
        assertThat(Pages.nextOffset(0, 4, 4, -1)).contains(4L);
        assertThat(Pages.nextOffset(4, 3, 4, -1)).isEmpty();
    }

    @Test
    void jsonEnvelopesAreReadAndAMissingArrayIsNeverAnEmptyPage() throws Exception {
        JsonNode body = Json.MAPPER.readTree("{\"data\":[{\"id\":1},{\"id\":2}],\"next_page\":3,"
                + "\"links\":{\"next\":\"https://p.example/x?cursor=abc\"}}");
        Page<JsonNode, Integer> page = JsonPages.numbered(2, body, "data", "next_page");
        assertThat(page.items()).hasSize(2);
        assertThat(page.next()).contains(3);
        assertThat(JsonPages.nextCursor(body, "links.next")).contains("https://p.example/x?cursor=abc");
        assertThat(JsonPages.nextCursor(body, "next_cursor")).isEmpty();

        JsonNode last = Json.MAPPER.readTree("{\"data\":[],\"next_page\":null}");
        assertThat(JsonPages.numbered(4, last, "data", "next_page").last()).isTrue();

        for (String bad : new String[] {"{\"items\":[]}", "{\"data\":{}}", "{\"data\":[],\"next_page\":\"x\"}",
                "{\"data\":[],\"next_page\":2}"}) {
            assertThatThrownBy(() -> JsonPages.numbered(2, Json.MAPPER.readTree(bad), "data", "next_page")).as(bad)
                    .isInstanceOfSatisfying(ConnectorException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR));
        }
    }
}
