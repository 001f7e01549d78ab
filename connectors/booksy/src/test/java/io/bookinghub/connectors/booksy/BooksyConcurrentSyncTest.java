package io.bookinghub.connectors.booksy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.testkit.InMemorySyncSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sync requests pages ahead, concurrently: never more at once than {@code maxConcurrentRequests}, written in
 * order, and a page that fails fails the run. A JDK HTTP server stands in for Booksy here because it can count the
 * requests it is serving at the same moment, which WireMock does not report.
 */
class BooksyConcurrentSyncTest {
    private static final int PAGES = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> appointmentPages = new ConcurrentLinkedQueue<>();
    /** The appointment page answered with 404, or 0. */
    private volatile int failingPage;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newFixedThreadPool(16);
        server.setExecutor(serverThreads);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI());
            String body;
            int status = 200;
            switch (path) {
                case "/api/v1/businesses" -> body = Payloads.text("businesses.json");
                case "/api/v1/staff" -> body = Payloads.text("staff.json");
                case "/api/v1/services" -> body = Payloads.text("services.json");
                case "/api/v1/clients" -> body = Payloads.text("clients.json");
                case "/api/v1/availability" -> body = Payloads.text("availability.json");
                case "/api/v1/appointments" -> {
                    int page = Integer.parseInt(query.get("page"));
                    appointmentPages.add(query.get("page"));
                    // Slow enough that a sequential reader would leave the others idle.
                    sleep(60);
                    if (page == failingPage) {
                        status = 404;
                        body = "{\"error\":\"not_found\"}";
                    } else {
                        body = appointmentPage(page);
                    }
                }
                default -> {
                    status = 404;
                    body = "{}";
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    /** Page {@code n} of {@link #PAGES}: one appointment whose id names the page. */
    private static String appointmentPage(int n) throws IOException {
        ObjectNode page = (ObjectNode) JSON.readTree(Payloads.text("appointments-page1.json"));
        ObjectNode first = (ObjectNode) page.withArray("data").get(0);
        first.put("id", "a-page-" + n);
        page.withArray("data").removeAll().add(first);
        page.putObject("pagination").put("total_pages", PAGES);
        return JSON.writeValueAsString(page);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }

    private BooksyConnector connector(int maxConcurrentRequests) {
        Map<String, Object> values = BooksyContexts.apiKeyValues("http://127.0.0.1:" + server.getAddress().getPort());
        values.put(BooksyConfig.MAX_CONCURRENT_REQUESTS, maxConcurrentRequests);
        return (BooksyConnector) new BooksyConnectorFactory().create(BooksyContexts.of(values));
    }

    @Test
    void pagesAreRequestedConcurrentlyButNeverMoreThanTheLimitAndWrittenInOrder() {
        InMemorySyncSink sink = new InMemorySyncSink();
        try (BooksyConnector connector = connector(3)) {
            SyncResult result = connector.sync(new SyncRequest("run-1", SyncMode.FULL), sink);

            assertThat(result.complete()).isTrue();
        }

        assertThat(maxInFlight.get()).as("requests served at the same moment").isBetween(2, 3);
        assertThat(appointmentPages).hasSize(PAGES).doesNotHaveDuplicates();
        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).containsOnlyKeys(
                IntStream.rangeClosed(1, PAGES).mapToObj(n -> "a-page-" + n).toArray(String[]::new));
        assertThat(sink.progress().stream().filter(p -> p.stage().equals("appointments"))
                .map(InMemorySyncSink.Progress::done).toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, PAGES).mapToObj(n -> (long) n).toList());
        assertThat(sink.progress().stream().map(InMemorySyncSink.Progress::stage).distinct().toList())
                .as("resources are written one after the other, in order")
                .containsExactly("businesses", "staff", "services", "clients", "appointments", "availability");
        assertThat(sink.cursors()).containsKey("appointments");
    }

    @Test
    void oneRequestAtATimeWhenTheLimitIsOne() {
        try (BooksyConnector connector = connector(1)) {
            assertThat(connector.sync(new SyncRequest("run-1", SyncMode.FULL), new InMemorySyncSink()).complete())
                    .isTrue();
        }

        assertThat(maxInFlight.get()).isEqualTo(1);
        assertThat(appointmentPages).hasSize(PAGES);
    }

    @Test
    void aFailingPageFailsTheRunAfterThePagesBeforeItWereWritten() {
        failingPage = 5;
        InMemorySyncSink sink = new InMemorySyncSink();
        try (BooksyConnector connector = connector(4)) {
            assertThatThrownBy(() -> connector.sync(new SyncRequest("run-1", SyncMode.FULL), sink))
                    .isInstanceOfSatisfying(ConnectorException.class,
                            // A 404 on a list page is a missing endpoint, not a missing record (the toolkit's table).
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR));
        }

        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class))
                .containsOnlyKeys("a-page-1", "a-page-2", "a-page-3", "a-page-4");
        assertThat(sink.cursors()).as("a resource read in part saves no cursor").doesNotContainKey("appointments");
        assertThat(sink.records(RecordKind.AVAILABILITY_SLOT, Object.class)).isEmpty();
        assertThat(appointmentPages.size()).as("no page is requested once one failed, beyond those in flight")
                .isLessThan(PAGES);
    }

    @Test
    void cancellingStopsTheRunAndLeavesTheRestUnwritten() {
        InMemorySyncSink sink = new InMemorySyncSink();
        sink.cancelWhen(() -> sink.progress().contains(new InMemorySyncSink.Progress("appointments", 2, PAGES)));
        try (BooksyConnector connector = connector(4)) {
            SyncResult result = connector.sync(new SyncRequest("run-1", SyncMode.FULL), sink);

            assertThat(result.complete()).isFalse();
            assertThat(result.message()).contains("appointments");
        }

        assertThat(sink.records(RecordKind.APPOINTMENT, Object.class)).containsOnlyKeys("a-page-1", "a-page-2");
        assertThat(sink.cursors()).doesNotContainKey("appointments");
        assertThat(sink.records(RecordKind.AVAILABILITY_SLOT, Object.class)).isEmpty();
    }
}
