package io.bookinghub.toolkit.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.OrderedPrefetch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrefetchedPagesTest {

    @Test
    void pagesAKnownTotalAnnouncesAreFetchedConcurrentlyAndHandedOutInOrder() throws Exception {
        // Page 1 says there are 4 pages; pages 2-4 each wait until all three are in flight together.
        CountDownLatch together = new CountDownLatch(3);
        PageSource<String, Integer> source = n -> {
            if (n > 1) {
                together.countDown();
                try {
                    if (!together.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("pages 2-4 were not fetched concurrently");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return new Page<>(n, List.of("item-" + n), n < 4 ? Optional.of(n + 1) : Optional.empty(), 4);
        };
        List<String> read = new ArrayList<>();
        try (OrderedPrefetch<Page<String, Integer>> prefetch = new OrderedPrefetch<>(4, "test-")) {
            PrefetchedPages<String> pages = new PrefetchedPages<>(prefetch, 0, source).start();
            while (pages.hasNext()) {
                read.addAll(pages.next().items());
            }
        }
        assertThat(read).containsExactly("item-1", "item-2", "item-3", "item-4");
    }

    @Test
    void twoListsShareOnePrefetchAndAreHandedOutInLaneOrder() {
        Set<String> fetched = ConcurrentHashMap.newKeySet();
        List<String> read = new ArrayList<>();
        try (OrderedPrefetch<Page<String, Integer>> prefetch = new OrderedPrefetch<>(8, "test-")) {
            List<PrefetchedPages<String>> lists = new ArrayList<>();
            for (String list : new String[] {"staff", "bookings"}) {
                lists.add(new PrefetchedPages<String>(prefetch, lists.size(), n -> {
                    fetched.add(list + n);
                    return new Page<>(n, List.of(list + n), n < 3 ? Optional.of(n + 1) : Optional.empty());
                }).start());
            }
            for (PrefetchedPages<String> pages : lists) {
                pages.forEachRemaining(p -> read.addAll(p.items()));
            }
        }
        assertThat(read).containsExactly("staff1", "staff2", "staff3", "bookings1", "bookings2", "bookings3");
        assertThat(fetched).hasSize(6);
    }

    @Test
    void aFailedPageFailsTheReadAfterThePagesBeforeIt() {
        List<String> read = new ArrayList<>();
        try (OrderedPrefetch<Page<String, Integer>> prefetch = new OrderedPrefetch<>(2, "test-")) {
            PrefetchedPages<String> pages = new PrefetchedPages<String>(prefetch, 0, n -> {
                if (n == 3) {
                    throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "page 3 down");
                }
                return new Page<>(n, List.of("p" + n), Optional.of(n + 1), 5);
            }).start();
            assertThatThrownBy(() -> pages.forEachRemaining(p -> read.addAll(p.items())))
                    .isInstanceOfSatisfying(ConnectorException.class,
                            e -> assertThat(e.getMessage()).isEqualTo("page 3 down"));
        }
        assertThat(read).containsExactly("p1", "p2");
    }
}
