package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.model.Location;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        BooksyRateLimiter limiter = new BooksyRateLimiter(context.rateBudget(),
                new RateBudget.Limit(config.rateLimitPerSecond(), config.rateLimitBurst()), budgetKeys(context, config),
                context.clock(), sleeper);
        if (config.authMode() == BooksyConfig.AuthMode.OAUTH) {
            this.flow = new BooksyOAuthFlow(context, config);
            this.tokens = new BooksyTokenManager(context, flow, config.tokenRefreshSkew());
        } else {
            this.flow = null;
            this.tokens = null;
        }
        this.client = new BooksyClient(context, config, tokens, limiter, sleeper);
        this.webhooks = new BooksyWebhookHandler(config, businessId, client, context.clock(),
                context.businessTimeZone());
        this.bookings = new BooksyBookings(config, client, this::businessId, context.businessTimeZone());
    }

    /**
     * In OAuth mode every connection of one Booksy app shares the app's budget; every connection also has its
     * business's (the Booksy business once known, else the hub business it serves: one connection each).
     */
    private List<String> budgetKeys(ConnectorContext context, BooksyConfig config) {
        String business = businessId != null ? businessId : "hub-" + context.businessId();
        return config.authMode() == BooksyConfig.AuthMode.OAUTH
                ? List.of(BooksyRateLimiter.appKey(config.clientId()), BooksyRateLimiter.businessKey(business))
                : List.of(BooksyRateLimiter.businessKey(business));
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
        for (BooksyClient.Page page : client.pages(config.path(BooksyConfig.BUSINESSES_PATH), Map.of())) {
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
            boolean[] businessSeen = {false};
            Resource businesses = new Resource(0, BUSINESSES, BooksyConfig.BUSINESSES_PATH,
                    query(BUSINESSES, baseQuery, true), true, item -> {
                        if (!businessId().equals(BooksyMapper.externalIdOf(item))) {
                            return false;
                        }
                        BooksyMapper.BusinessWithLocations mapped = new BooksyMapper(config.statusMapping(),
                                businessZone).business(item);
                        sink.upsert(mapped.business());
                        for (Location location : mapped.locations()) {
                            sink.upsert(location);
                        }
                        businessZone = mapped.business().timeZone();
                        businessSeen[0] = true;
                        return true;
                    });
            // The writers map with the business's time zone: they run only after the businesses were read.
            List<Resource> lists = List.of(
                    new Resource(1, STAFF, BooksyConfig.STAFF_PATH, query(STAFF, baseQuery, true), true,
                            item -> {
                                sink.upsert(mapper.staff(item));
                                return true;
                            }),
                    new Resource(2, SERVICES, BooksyConfig.SERVICES_PATH, query(SERVICES, baseQuery, true), true,
                            item -> {
                                sink.upsert(mapper.service(item));
                                return true;
                            }),
                    new Resource(3, CLIENTS, BooksyConfig.CLIENTS_PATH, query(CLIENTS, baseQuery, true), true,
                            item -> {
                                sink.upsert(mapper.client(item));
                                return true;
                            }),
                    new Resource(4, APPOINTMENTS, BooksyConfig.APPOINTMENTS_PATH, query(APPOINTMENTS, baseQuery, true),
                            true, item -> {
                                sink.upsert(mapper.appointment(item));
                                return true;
                            }));
            // The lists are independent of each other and of the business: their pages are requested ahead,
            // concurrently and within the rate limit, while this thread writes them in order (so cursors and
            // progress stay in order). Only availability waits for the business, whose time zone sets its dates.
            try (OrderedPrefetch<BooksyClient.Page> prefetch = new OrderedPrefetch<>(config.maxConcurrentRequests(),
                    "booksy-sync-" + context.businessId() + "-")) {
                businesses.request(prefetch, 1);
                for (Resource list : lists) {
                    list.request(prefetch, 1);
                }
                if (!read(businesses, prefetch)) {
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
                Resource availability = new Resource(5, AVAILABILITY, BooksyConfig.AVAILABILITY_PATH,
                        availabilityQuery, false, item -> {
                                sink.upsert(mapper.slot(item, businessZone));
                                return true;
                            });
                availability.request(prefetch, 1);
                for (Resource list : lists) {
                    if (!read(list, prefetch)) {
                        return partial();
                    }
                }
                if (!read(availability, prefetch)) {
                    return partial();
                }
            }
            return SyncResult.completed();
        }

        /** The query of a list, with the resource's updated-since cursor in an incremental run. */
        private Map<String, String> query(String resource, Map<String, String> base, boolean cursored) {
            Map<String, String> q = new LinkedHashMap<>(base);
            if (cursored && mode == SyncMode.INCREMENTAL) {
                sink.cursor(resource).ifPresent(c -> q.put(config.updatedSinceParam(), c));
            }
            return q;
        }

        /** One list endpoint of the run: what to request and how to write each item. */
        private final class Resource {
            private final int index;
            private final String name;
            private final String path;
            private final Map<String, String> query;
            private final boolean cursored;
            private final ItemHandler handler;
            /** The highest page number handed to the prefetch so far. */
            private final AtomicInteger requested = new AtomicInteger();

            Resource(int index, String name, String pathProperty, Map<String, String> query, boolean cursored,
                    ItemHandler handler) {
                this.index = index;
                this.name = name;
                this.path = config.path(pathProperty);
                this.query = Map.copyOf(query);
                this.cursored = cursored;
                this.handler = handler;
            }

            /** Orders every page of every resource: resource first, then page. */
            long key(int page) {
                return ((long) index << 32) | page;
            }

            /** Requests page {@code number}; once fetched, it requests the pages it shows to exist. */
            void request(OrderedPrefetch<BooksyClient.Page> prefetch, int number) {
                if (requested.compareAndSet(number - 1, number)) {
                    prefetch.submit(key(number), () -> {
                        BooksyClient.Page page = client.page(path, query, number);
                        int upTo = client.knownPagesUpTo(page);
                        for (int next = requested.get() + 1; next <= upTo; next = requested.get() + 1) {
                            request(prefetch, next);
                        }
                        return page;
                    });
                }
            }

            BooksyClient.Page take(OrderedPrefetch<BooksyClient.Page> prefetch, int number) {
                try {
                    return prefetch.take(key(number));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE,
                            "Booksy sync interrupted while reading " + name);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new ConnectorException(ErrorCode.PROVIDER_ERROR, "Booksy " + name + " page " + number
                            + " failed: " + e.getCause().getClass().getSimpleName());
                }
            }
        }

        private SyncResult partial() {
            return SyncResult.partial("Booksy sync cancelled during " + stoppedAt);
        }

        /**
         * Reads one resource's pages in order from the prefetch. Returns false when the run was cancelled; the
         * cursor is saved only after the whole resource was read. A page that failed fails the run here, after
         * the pages before it were written.
         */
        private boolean read(Resource resource, OrderedPrefetch<BooksyClient.Page> prefetch) {
            if (sink.cancelled()) {
                stoppedAt = resource.name;
                return false;
            }
            Cursor cursor = new Cursor();
            for (int number = 1; ; number++) {
                BooksyClient.Page page = resource.take(prefetch, number);
                write(page, resource.handler, cursor);
                sink.progress(resource.name, page.number(), page.totalPages());
                if (client.lastPage(page)) {
                    break;
                }
                if (sink.cancelled()) {
                    stoppedAt = resource.name;
                    return false;
                }
            }
            cursor.save(resource.name, resource.cursored);
            return true;
        }

        private void write(BooksyClient.Page page, ItemHandler handler, Cursor cursor) {
            for (JsonNode item : page.items()) {
                boolean relevant;
                try {
                    relevant = handler.handle(item);
                } catch (BooksyMappingException e) {
                    sink.skipped(e.kind(), e.externalId(), e.reason());
                    relevant = true;
                }
                if (relevant) {
                    BooksyMapper.updatedAt(item).ifPresent(cursor::seen);
                }
            }
        }

        /** The newest updated-at among a resource's relevant items: its next incremental cursor. */
        private final class Cursor {
            private Instant maxSeen;

            void seen(Instant updated) {
                if (maxSeen == null || updated.isAfter(maxSeen)) {
                    maxSeen = updated;
                }
            }

            void save(String resource, boolean cursored) {
                if (cursored && maxSeen != null) {
                    sink.saveCursor(resource, maxSeen.toString());
                }
            }
        }
    }

    @Override
    public String toString() {
        return "BooksyConnector[business=" + context.businessId() + ", mode=" + config.authMode().value() + "]";
    }
}
