package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.RateBudget;
import io.bookinghub.spi.booking.Bookings;
import io.bookinghub.spi.oauth.OAuthFlow;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.toolkit.OrderedPrefetch;
import io.bookinghub.toolkit.http.RatePacer;
import io.bookinghub.toolkit.http.Sleeper;
import io.bookinghub.toolkit.paging.Page;
import io.bookinghub.toolkit.paging.PrefetchedPages;
import io.bookinghub.toolkit.sync.UpdatedSinceCursor;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Booksy connection: OAuth flow (in oauth mode), full and incremental sync, availability, webhooks,
 * two-way booking, disconnect.
 * Thread-safe: the rate limiter, token manager and HTTP client are shared by all callers.
 */
public final class BooksyConnector implements BookingConnector {
    /** Sync resource names, used for progress and cursors. */
    public static final String BUSINESSES = "businesses";
    public static final String STAFF = "staff";
    public static final String SERVICES = "services";
    public static final String CLIENTS = "clients";
    public static final String APPOINTMENTS = "appointments";
    public static final String AVAILABILITY = "availability";

    private static final Logger LOG = LoggerFactory.getLogger(BooksyConnector.class);

    private final ConnectorDescriptor descriptor;
    private final ConnectorContext context;
    private final BooksyConfig config;
    private final BooksyOAuthFlow flow;
    private final BooksyTokenManager tokens;
    private final BooksyClient client;
    private final BooksyWebhookHandler webhooks;
    private final BooksyBookings bookings;
    /** The configured business, else the one the hub bound after verifying the grant; null until then. */
    private final String businessId;
    private final AtomicBoolean closed = new AtomicBoolean();

    BooksyConnector(ConnectorDescriptor descriptor, ConnectorContext context, BooksyConfig config) {
        this(descriptor, context, config, Sleeper.SYSTEM);
    }

    BooksyConnector(ConnectorDescriptor descriptor, ConnectorContext context, BooksyConfig config, Sleeper sleeper) {
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.context = requireNonNull(context, "context is null");
        this.config = requireNonNull(config, "config is null");
        this.businessId = config.businessId().or(context::accountId).orElse(null);
        RatePacer pacer = new RatePacer(context.rateBudget(),
                new RateBudget.Limit(config.rateLimitPerSecond(), config.rateLimitBurst()), budgetKeys(context, config),
                context.clock(), sleeper);
        if (config.authMode() == BooksyConfig.AuthMode.OAUTH) {
            this.flow = new BooksyOAuthFlow(context, config);
            this.tokens = new BooksyTokenManager(context, flow, config.tokenRefreshSkew());
        } else {
            this.flow = null;
            this.tokens = null;
        }
        this.client = new BooksyClient(context, config, tokens, pacer);
        this.webhooks = new BooksyWebhookHandler(config, businessId, client, context.clock(),
                context.businessTimeZone());
        this.bookings = new BooksyBookings(config, client, this::businessId, context.businessTimeZone());
    }

    /**
     * In OAuth mode every connection of one Booksy app shares the app's budget ({@code app:<clientId>}); every
     * connection also has its business's ({@code business:<id>}: the Booksy business once known, else the hub
     * business it serves, one connection each).
     */
    private List<String> budgetKeys(ConnectorContext context, BooksyConfig config) {
        String business = "business:" + (businessId != null ? businessId : "hub-" + context.businessId());
        return config.authMode() == BooksyConfig.AuthMode.OAUTH ? List.of("app:" + config.clientId(), business)
                : List.of(business);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConnectorException INVALID_INPUT when the connection is configured for api-key mode
     */
    @Override
    public OAuthFlow oauth() {
        if (flow == null) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT,
                    "Booksy connection uses authMode api-key; OAuth is not available");
        }
        return flow;
    }

    /** {@inheritDoc} See {@link BooksyWebhookHandler} for the event types and configuration. */
    @Override
    public WebhookHandler webhooks() {
        return webhooks;
    }

    /** {@inheritDoc} See {@link BooksyBookings} for the endpoints and how writes are made safe to repeat. */
    @Override
    public Bookings bookings() {
        return bookings;
    }

    /** In oauth mode the connection has no credentials until the business owner authorized it. */
    @Override
    public boolean authorizationRequired() {
        return flow != null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Lists the businesses the credentials reach ({@code businessesPath}, no business filter): the
     * configured {@code businessId} must be among them; without one, exactly one must be.
     */
    @Override
    public Optional<String> verifyAccount() {
        List<String> granted = new ArrayList<>();
        for (Page<JsonNode, Integer> page : client.pages(config.path(BooksyConfig.BUSINESSES_PATH), Map.of())) {
            for (JsonNode item : page.items()) {
                String id = BooksyMapper.externalIdOf(item);
                if (id != null) {
                    granted.add(id);
                }
            }
        }
        Optional<String> configured = config.businessId();
        if (configured.isPresent()) {
            if (!granted.contains(configured.get())) {
                throw new ConnectorException(ErrorCode.AUTH_REQUIRED, "The Booksy authorization does not grant "
                        + "access to business " + configured.get() + " (businessId)");
            }
            return configured;
        }
        if (granted.size() == 1) {
            return Optional.of(granted.get(0));
        }
        throw new ConnectorException(ErrorCode.INVALID_INPUT, granted.isEmpty()
                ? "The Booksy authorization grants access to no business"
                : "The Booksy authorization grants access to " + granted.size()
                        + " businesses; set businessId to the one this connection is for");
    }

    private String businessId() {
        if (businessId == null) {
            throw new ConnectorException(ErrorCode.AUTH_REQUIRED,
                    "The Booksy connection has no business yet: set businessId or authorize it");
        }
        return businessId;
    }

    BooksyClient client() {
        return client;
    }

    BooksyTokenManager tokens() {
        return tokens;
    }

    @Override
    public SyncResult sync(SyncRequest request, SyncSink sink) {
        requireNonNull(request, "request is null");
        requireNonNull(sink, "sink is null");
        if (closed.get()) {
            throw new ConnectorException(ErrorCode.INTERNAL, "Booksy connector is closed");
        }
        Run run = new Run(request.mode(), sink);
        LOG.info("Booksy {} sync {} started for business {}", request.mode(), request.runId(), context.businessId());
        SyncResult result = run.execute();
        LOG.info("Booksy sync {} finished: complete={}", request.runId(), result.complete());
        return result;
    }

    @Override
    public void disconnect() {
        if (flow != null) {
            flow.revoke();
            tokens.invalidate();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && flow != null) {
            flow.close();
        }
    }

    /** Handles one item; returns false when the item is irrelevant (and does not move the cursor). */
    @FunctionalInterface
    private interface ItemHandler {
        boolean handle(JsonNode item) throws BooksyMappingException;
    }

    /** Writes one item that is always relevant. */
    @FunctionalInterface
    private interface ItemWriter {
        void write(JsonNode item) throws BooksyMappingException;
    }

    private static ItemHandler always(ItemWriter writer) {
        return item -> {
            writer.write(item);
            return true;
        };
    }

    /** State of one sync run. */
    private final class Run {
        private final SyncMode mode;
        private final SyncSink sink;
        private final Map<String, String> baseQuery = new LinkedHashMap<>();
        private ZoneId businessZone = context.businessTimeZone();
        private BooksyMapper mapper;
        private String stoppedAt;

        Run(SyncMode mode, SyncSink sink) {
            this.mode = mode;
            this.sink = sink;
            baseQuery.put("business_id", businessId());
            config.locationId().ifPresent(l -> baseQuery.put("location_id", l));
        }

        SyncResult execute() {
            // The lists are independent of each other and of the business: their pages are requested ahead,
            // concurrently and within the rate limit, while this thread writes them in order (so cursors and
            // progress stay in order). Only availability waits for the business, whose time zone sets its dates.
            try (OrderedPrefetch<Page<JsonNode, Integer>> prefetch = new OrderedPrefetch<>(
                    config.maxConcurrentRequests(), "booksy-sync-" + context.businessId() + "-")) {
                boolean[] businessSeen = {false};
                Resource businesses = new Resource(prefetch, 0, BUSINESSES, BooksyConfig.BUSINESSES_PATH, baseQuery,
                        true, item -> {
                            if (!businessId().equals(BooksyMapper.externalIdOf(item))) {
                                return false;
                            }
                            BooksyMapper.BusinessWithLocations mapped = new BooksyMapper(config.statusMapping(),
                                    businessZone).business(item);
                            sink.upsert(mapped.business());
                            mapped.locations().forEach(sink::upsert);
                            businessZone = mapped.business().timeZone();
                            businessSeen[0] = true;
                            return true;
                        });
                // The writers map with the business's time zone: they run only after the businesses were read.
                List<Resource> lists = List.of(
                        new Resource(prefetch, 1, STAFF, BooksyConfig.STAFF_PATH, baseQuery, true,
                                always(item -> sink.upsert(mapper.staff(item)))),
                        new Resource(prefetch, 2, SERVICES, BooksyConfig.SERVICES_PATH, baseQuery, true,
                                always(item -> sink.upsert(mapper.service(item)))),
                        new Resource(prefetch, 3, CLIENTS, BooksyConfig.CLIENTS_PATH, baseQuery, true,
                                always(item -> sink.upsert(mapper.client(item)))),
                        new Resource(prefetch, 4, APPOINTMENTS, BooksyConfig.APPOINTMENTS_PATH, baseQuery, true,
                                always(item -> sink.upsert(mapper.appointment(item)))));
                if (!read(businesses)) {
                    return partial();
                }
                if (!businessSeen[0] && mode == SyncMode.FULL) {
                    // Without it every other list is suspect; a "complete" empty run would let the hub
                    // soft-delete everything.
                    throw new ConnectorException(ErrorCode.NOT_FOUND,
                            "Booksy business " + businessId() + " was not returned by " + BUSINESSES);
                }
                mapper = new BooksyMapper(config.statusMapping(), businessZone);
                LocalDate today = LocalDate.now(context.clock().withZone(businessZone));
                Map<String, String> availabilityQuery = new LinkedHashMap<>(baseQuery);
                availabilityQuery.put("date_from", today.toString());
                availabilityQuery.put("date_to", today.plusDays(config.availabilityDays()).toString());
                Resource availability = new Resource(prefetch, 5, AVAILABILITY, BooksyConfig.AVAILABILITY_PATH,
                        availabilityQuery, false, always(item -> sink.upsert(mapper.slot(item, businessZone))));
                for (Resource list : lists) {
                    if (!read(list)) {
                        return partial();
                    }
                }
                if (!read(availability)) {
                    return partial();
                }
            }
            return SyncResult.completed();
        }

        /** One list endpoint of the run: its pages (requested at once), its cursor, how to write each item. */
        private final class Resource {
            private final String name;
            private final UpdatedSinceCursor cursor;
            private final PrefetchedPages<JsonNode> pages;
            private final ItemHandler handler;

            /** @param cursored whether the list takes Booksy's updated-since filter and keeps a cursor */
            Resource(OrderedPrefetch<Page<JsonNode, Integer>> prefetch, int lane, String name, String pathProperty,
                    Map<String, String> baseQuery, boolean cursored, ItemHandler handler) {
                this.name = name;
                this.cursor = cursored ? UpdatedSinceCursor.of(sink, name, mode) : null;
                Map<String, String> query = new LinkedHashMap<>(baseQuery);
                if (cursor != null) {
                    cursor.since().ifPresent(since -> query.put(config.updatedSinceParam(), since.toString()));
                }
                String path = config.path(pathProperty);
                this.pages = new PrefetchedPages<JsonNode>(prefetch, lane, n -> client.page(path, query, n)).start();
                this.handler = handler;
            }
        }

        private SyncResult partial() {
            return SyncResult.partial("Booksy sync cancelled during " + stoppedAt);
        }

        /**
         * Reads one resource's pages in order. Returns false when the run was cancelled; the cursor is saved only
         * after the whole resource was read. A page that failed fails the run here, after the pages before it were
         * written.
         */
        private boolean read(Resource resource) {
            while (!sink.cancelled()) {
                Page<JsonNode, Integer> page = resource.pages.next();
                for (JsonNode item : page.items()) {
                    write(item, resource);
                }
                sink.progress(resource.name, page.position(), page.totalPages());
                if (page.last()) {
                    if (resource.cursor != null) {
                        resource.cursor.save();
                    }
                    return true;
                }
            }
            stoppedAt = resource.name;
            return false;
        }

        private void write(JsonNode item, Resource resource) {
            boolean relevant;
            try {
                relevant = resource.handler.handle(item);
            } catch (BooksyMappingException e) {
                sink.skipped(e.kind(), e.externalId(), e.reason());
                relevant = true;
            }
            if (relevant && resource.cursor != null) {
                BooksyMapper.updatedAt(item).ifPresent(resource.cursor::seen);
            }
        }
    }

    @Override
    public String toString() {
        return "BooksyConnector[business=" + context.businessId() + ", mode=" + config.authMode().value() + "]";
    }
}
