package io.bookinghub.testkit;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.AvailabilitySlot;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.booking.AvailabilityQuery;
import io.bookinghub.spi.booking.BookingClient;
import io.bookinghub.spi.booking.Bookings;
import io.bookinghub.spi.booking.CancelBooking;
import io.bookinghub.spi.booking.CreateBooking;
import io.bookinghub.spi.booking.RescheduleBooking;
import io.bookinghub.spi.booking.WriteKey;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.UpsertOutcome;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.testkit.provider.RecordedRequest;
import io.bookinghub.testkit.provider.Resource;
import io.bookinghub.testkit.provider.ScriptedProvider;
import io.bookinghub.toolkit.config.ConfigValidator;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every connector must meet, as a JUnit 5 test a connector's test class extends. The subclass
 * supplies the connector ({@link #factory()}), a configuration pointing at its provider stand-in
 * ({@link #validConfig()}) and the hooks that the declared capabilities need; the kit runs the same checks
 * for every connector.
 *
 * <p>Every check is gated by the descriptor's capabilities: where a capability is declared the behaviour is
 * tested, and where it is absent the check asserts that the operation fails with
 * {@link ErrorCode#UNSUPPORTED} naming the capability, instead of skipping. A hook the declared
 * capabilities need but the subclass did not override fails with a message naming the hook.
 *
 * <p>Hooks by capability:
 * <ul>
 *   <li>always: {@link #factory()}, {@link #validConfig()}; optionally {@link #setUpProvider()},
 *       {@link #tearDownProvider()}, {@link #scriptedProvider()} (a {@link ScriptedProvider} stand-in, from which
 *       the kit derives the sync hooks marked *), {@link #secretPropertyNames()}, {@link #invalidConfigs()},
 *       {@link #newContext(Map)}</li>
 *   <li>appointments mapped by a sync, webhook or import: {@link #expectedAppointments()}</li>
 *   <li>{@code OAUTH_CONNECT}: {@link #authorize} if sync needs tokens (runs for every connector the kit
 *       creates); {@link #oauthConfig()} if {@link #validConfig()} does not use OAuth</li>
 *   <li>{@code FULL_SYNC}: {@link #makeProviderFail(int)}*, {@link #expectedRecordCounts()}*, optionally
 *       {@link #expectedErrorCodes()}; a {@link #validConfig()} that retries (the retry check expects one 503 or
 *       429 with {@code Retry-After} to be retried)</li>
 *   <li>{@code INCREMENTAL_SYNC}: {@link #changeOneRecordAtProvider()}*</li>
 *   <li>{@code WEBHOOKS}: {@link #sampleWebhookBody()}, {@link #signedWebhook(byte[])},
 *       {@link #outOfOrderWebhooks()}, optionally {@link #webhookSecretPropertyNames()},
 *       {@link #webhooksRoutedByAccount()}</li>
 *   <li>{@code FILE_IMPORT}: {@link #sampleImport()}</li>
 *   <li>{@code WRITE_BACK}: {@link #bookableSlot()}, optionally {@link #writeBackConfig()} (a stateful stand-in
 *       that books, moves and cancels)</li>
 * </ul>
 *
 * <p>Each check is also a {@code protected final} method ({@link #checkDescriptorAndConfigMetadata()}, ...)
 * so a test can run one directly, between {@link #contractSetUp()} and {@link #contractTearDown()}.
 */
public abstract class ConnectorContractTest {

    /** What {@link #changeOneRecordAtProvider()} changed (or created) at the provider. */
    public record ChangedRecord(RecordKind kind, String externalId) {
        public ChangedRecord {
            requireNonNull(kind, "kind is null");
            requireNonNull(externalId, "externalId is null");
        }
    }

    /**
     * A free slot at the provider stand-in for the WRITE_BACK checks: a service, a staff member (null: whoever is
     * free) and a start in the future at which the stand-in books; the same start one day later must be free too.
     */
    public record BookableSlot(String serviceExternalId, String staffExternalId, Instant start) {
        public BookableSlot {
            requireNonNull(serviceExternalId, "serviceExternalId is null");
            requireNonNull(start, "start is null");
        }
    }

    /** A small, valid file for the FILE_IMPORT checks: {@code kind} as passed to the importer. */
    public record ImportSample(String kind, byte[] content) {
        public ImportSample {
            requireNonNull(kind, "kind is null");
            content = requireNonNull(content, "content is null").clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /**
     * How the connector must map one appointment of the provider stand-in (from a full sync, the sample webhook or
     * the sample import): its status and its start and end as instants (null end: not checked). Declared by the
     * author from the provider's data, so a mapping that confirms everything or drops the UTC offset fails.
     */
    public record ExpectedAppointment(String externalId, AppointmentStatus status, Instant start, Instant end) {
        public ExpectedAppointment {
            requireNonNull(externalId, "externalId is null");
            requireNonNull(status, "status is null");
            requireNonNull(start, "start is null");
        }
    }

    /**
     * Two webhook bodies about the same record, the provider's newer version and an older one (lower version,
     * earlier update), for the ordering check: applying the older after the newer must leave the newer.
     */
    public record OutOfOrderWebhooks(byte[] newer, byte[] older) {
        public OutOfOrderWebhooks {
            newer = requireNonNull(newer, "newer is null").clone();
            older = requireNonNull(older, "older is null").clone();
        }

        @Override
        public byte[] newer() {
            return newer.clone();
        }

        @Override
        public byte[] older() {
            return older.clone();
        }
    }

    // Names that almost always hold a secret; an unflagged one would be shown to admins and stored in clear.
    private static final Pattern SECRET_LIKE = Pattern.compile(
            "(?i).*(secret|password|passwd|passphrase|privatekey|private_key).*|.*(token|apikey|api_key|api-key)");

    private final List<BookingConnector> opened = new ArrayList<>();
    private TestContext context;

    // ---------------------------------------------------------------- hooks

    /** The connector under test. */
    protected abstract BookingConnectorFactory factory();

    /**
     * A configuration that passes validation and points at the provider stand-in started by
     * {@link #setUpProvider()}, with fast settings (no real backoff sleeps, one attempt per request if the
     * error check should not wait for retries).
     */
    protected abstract Map<String, Object> validConfig();

    /** Starts the provider stand-in (WireMock, a sandbox...). Runs before every check. */
    protected void setUpProvider() throws Exception {
    }

    /** Stops the provider stand-in. Runs after every check. */
    protected void tearDownProvider() throws Exception {
    }

    /**
     * The property names the connector must flag secret; {@code null} (the default) means no expectation
     * beyond the kit's name heuristic (names containing "secret", "password", or ending in "token" or
     * "apiKey" must be secret).
     */
    protected Set<String> secretPropertyNames() {
        return null;
    }

    /**
     * Cross-field rules the metadata cannot express: for each field name, a complete configuration that
     * must be refused (by validation or by {@link BookingConnectorFactory#create}) with an
     * {@link ErrorCode#INVALID_INPUT} error naming that field. Default: none.
     */
    protected Map<String, Map<String, Object>> invalidConfigs() {
        return Map.of();
    }

    /**
     * The context a connector is created with. Override to change the zone or random source; the default
     * validates {@code config} against the factory's metadata with no environment variables.
     */
    protected TestContext newContext(Map<String, Object> config) {
        return TestContext.of(factory(), config);
    }

    /**
     * Makes a freshly created connector able to sync, e.g. an OAuth connector exchanging a code with the
     * stand-in, or seeding tokens in {@code context.credentials()}. Runs for every connector the kit
     * creates. Default: nothing.
     */
    protected void authorize(BookingConnector connector, TestContext context) throws Exception {
    }

    /**
     * Changes exactly one record at the provider (or adds one) after a full sync, so that the incremental
     * check can verify that the next incremental run writes exactly that record. The connector's clock
     * ({@link #context()}) has been moved one minute forward before this is called.
     */
    protected ChangedRecord changeOneRecordAtProvider() throws Exception {
        ScriptedProvider provider = scriptedProvider();
        if (provider == null) {
            throw missingHook(Capability.INCREMENTAL_SYNC, "changeOneRecordAtProvider() (or scriptedProvider())");
        }
        provider.clock().set(context().clock().instant());
        ScriptedProvider.Changed changed = provider.changeOne();
        return new ChangedRecord(changed.resource().kind(), changed.id());
    }

    /** A free slot to book, for the WRITE_BACK checks (see {@link BookableSlot}). */
    protected BookableSlot bookableSlot() throws Exception {
        throw missingHook(Capability.WRITE_BACK, "bookableSlot()");
    }

    /** The configuration of the WRITE_BACK checks, pointing at a stand-in that can book. Default: validConfig(). */
    protected Map<String, Object> writeBackConfig() {
        return validConfig();
    }

    /** A realistic webhook body the provider would send, about a record the stand-in has. */
    protected byte[] sampleWebhookBody() {
        throw missingHook(Capability.WEBHOOKS, "sampleWebhookBody()");
    }

    /**
     * The request the provider would send for {@code body}, signed with the webhook secret in
     * {@link #validConfig()} at {@link TestContext#DEFAULT_NOW} (every kit context's clock starts there).
     */
    protected WebhookRequest signedWebhook(byte[] body) {
        throw missingHook(Capability.WEBHOOKS, "signedWebhook(byte[])");
    }

    /**
     * The properties holding webhook secrets; the wrong-secret check changes each of them. Default: secret
     * properties whose name contains "webhook".
     */
    protected Set<String> webhookSecretPropertyNames() {
        return factory().descriptor().configProperties().stream()
                .filter(p -> p.secret() && p.name().toLowerCase().contains("webhook"))
                .map(ConfigProperty::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The {@link ScriptedProvider} that {@link #validConfig()} points at, started by {@link #setUpProvider()}, or null
     * (the default) for a stand-in of the test's own (WireMock, a sandbox). With it the kit derives
     * {@link #makeProviderFail}, {@link #changeOneRecordAtProvider} and {@link #expectedRecordCounts}, and runs the
     * checks that need scripted behaviours and a request log (retries, HTML and malformed answers, the credential
     * sent, the cursor sent); without it those checks are skipped (JUnit shows them as skipped, not passed).
     */
    protected ScriptedProvider scriptedProvider() {
        return null;
    }

    /**
     * How many records of each kind a full sync of the stand-in must leave in the sink (every page read). Default:
     * with a {@link #scriptedProvider()}, none beyond its declared resources (the check compares ids with them);
     * without one, a FULL_SYNC connector must override this.
     */
    protected Map<RecordKind, Integer> expectedRecordCounts() {
        if (scriptedProvider() == null) {
            throw missingHook(Capability.FULL_SYNC, "expectedRecordCounts() (or scriptedProvider())");
        }
        return Map.of();
    }

    /**
     * The appointments whose status and times the connector must map exactly (see {@link ExpectedAppointment}); at
     * least two, with different statuses. Needed when the full sync, the sample webhook or the sample import maps
     * appointments.
     */
    protected List<ExpectedAppointment> expectedAppointments() {
        throw new AssertionError("Connector '" + id() + "' maps appointments, so " + getClass().getSimpleName()
                + " must override expectedAppointments() with the status and times the stand-in's appointments must "
                + "map to (see ConnectorContractTest's Javadoc)");
    }

    /**
     * A newer and an older webhook about one record (see {@link OutOfOrderWebhooks}). Return null only when
     * {@code apply()} never maps the payload but fetches the record's current state from the provider, so delivery
     * order cannot matter.
     */
    protected OutOfOrderWebhooks outOfOrderWebhooks() {
        throw missingHook(Capability.WEBHOOKS, "outOfOrderWebhooks()");
    }

    /**
     * Whether this connector's webhooks reach a connection by the account in the request (the hub's shared route:
     * {@link BookingConnectorFactory#webhookAccountId} must then name {@link WebhookHandler#accountId()}). Default:
     * true. Connectors whose webhooks arrive only on per-connection URLs return false.
     */
    protected boolean webhooksRoutedByAccount() {
        return true;
    }

    /**
     * Makes the stand-in answer every following provider call with HTTP {@code status}. The kit restarts the
     * provider ({@link #tearDownProvider()}, {@link #setUpProvider()}) between statuses.
     */
    protected void makeProviderFail(int status) throws Exception {
        ScriptedProvider provider = scriptedProvider();
        if (provider == null) {
            throw missingHook(Capability.FULL_SYNC, "makeProviderFail(int) (or scriptedProvider())");
        }
        provider.failAlways(status);
    }

    /** Provider statuses and the code a sync must then fail with. Override to add or change entries. */
    protected Map<Integer, ErrorCode> expectedErrorCodes() {
        Map<Integer, ErrorCode> codes = new LinkedHashMap<>();
        codes.put(401, ErrorCode.AUTH_REQUIRED);
        codes.put(429, ErrorCode.RATE_LIMITED);
        codes.put(503, ErrorCode.PROVIDER_UNAVAILABLE);
        return codes;
    }

    /**
     * The configuration for the OAuth check, for connectors where OAuth is one of several auth modes.
     * Default: {@link #validConfig()}.
     */
    protected Map<String, Object> oauthConfig() {
        return validConfig();
    }

    /** A small valid file (a few records) for the FILE_IMPORT checks. */
    protected ImportSample sampleImport() {
        throw missingHook(Capability.FILE_IMPORT, "sampleImport()");
    }

    // ---------------------------------------------------------------- lifecycle and helpers

    @BeforeEach
    protected final void contractSetUp() throws Exception {
        setUpProvider();
    }

    @AfterEach
    protected final void contractTearDown() throws Exception {
        try {
            opened.forEach(BookingConnector::close);
            opened.clear();
        } finally {
            tearDownProvider();
        }
    }

    /** The context of the connector the kit created last. */
    protected final TestContext context() {
        if (context == null) {
            throw new IllegalStateException("no connector created yet");
        }
        return context;
    }

    /** Creates (and authorizes) a connector on {@link #validConfig()}; it is closed after the check. */
    protected final BookingConnector newConnector() throws Exception {
        return newConnector(validConfig());
    }

    /** Creates (and authorizes) a connector on {@code config}; it is closed after the check. */
    protected final BookingConnector newConnector(Map<String, Object> config) throws Exception {
        TestContext ctx = newContext(config);
        BookingConnector connector = factory().create(ctx);
        assertThat(connector).as("%s.create(...) returned null", factoryName()).isNotNull();
        opened.add(connector);
        context = ctx;
        authorize(connector, ctx);
        return connector;
    }

    private ConnectorDescriptor descriptor() {
        return factory().descriptor();
    }

    private String id() {
        return descriptor().id();
    }

    private boolean declares(Capability capability) {
        return descriptor().supports(capability);
    }

    private String factoryName() {
        return factory().getClass().getSimpleName();
    }

    private AssertionError missingHook(Capability capability, String hook) {
        return new AssertionError("Connector '" + id() + "' declares " + capability + ", so "
                + getClass().getSimpleName() + " must override " + hook + " (see ConnectorContractTest's Javadoc)");
    }

    /**
     * Asserts that {@code call} fails the way an undeclared capability must: a {@link ConnectorException}
     * with {@link ErrorCode#UNSUPPORTED} whose message names the capability (or one of {@code alsoAccepted}).
     */
    protected final void assertUnsupported(Capability capability, String operation, Runnable call,
            Capability... alsoAccepted) {
        Throwable thrown = catchThrowable(call::run);
        String expectation = "Connector '" + id() + "' does not declare " + capability + ", so " + operation
                + " must throw ConnectorException(UNSUPPORTED) naming " + capability
                + " (the SPI's default method does; ConnectorException.unsupported builds it)";
        if (thrown == null) {
            fail(expectation + ", but it returned normally");
        }
        if (!(thrown instanceof ConnectorException ce)) {
            throw new AssertionError(expectation + ", but it threw " + thrown, thrown);
        }
        assertThat(ce.code()).as(expectation + "; got code " + ce.code() + ": " + ce.getMessage())
                .isEqualTo(ErrorCode.UNSUPPORTED);
        Set<String> names = new LinkedHashSet<>();
        names.add(capability.name());
        for (Capability c : alsoAccepted) {
            names.add(c.name());
        }
        assertThat(names.stream().anyMatch(ce.getMessage()::contains))
                .as(expectation + "; the message '" + ce.getMessage() + "' names none of " + names)
                .isTrue();
    }

    /** Values of secret properties in {@link #validConfig()} (long enough to search for). */
    private List<String> secretValues() {
        Set<String> secretNames = descriptor().configProperties().stream().filter(ConfigProperty::secret)
                .map(ConfigProperty::name).collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        validConfig().forEach((k, v) -> {
            if (secretNames.contains(k) && v != null && v.toString().length() >= 4) {
                out.add(v.toString());
            }
        });
        return out;
    }

    private void assertNoSecretIn(String where, String text) {
        if (text == null) {
            return;
        }
        for (String secret : secretValues()) {
            assertThat(text.contains(secret))
                    .as("%s of connector '%s' contains the value of a secret config property: %s", where, id(),
                            text.replace(secret, "<secret>"))
                    .isFalse();
        }
    }

    private SyncResult sync(BookingConnector connector, SyncMode mode, InMemorySyncSink sink) {
        SyncResult result;
        try {
            result = connector.sync(new SyncRequest("contract-" + mode.name().toLowerCase(), mode), sink);
        } catch (ConnectorException e) {
            throw new AssertionError("Connector '" + id() + "' declares " + mode + " sync but it failed against "
                    + "the provider stand-in: " + e, e);
        }
        assertThat(result).as("%s sync of connector '%s' returned a null SyncResult", mode, id()).isNotNull();
        assertThat(result.complete())
                .as("%s sync of connector '%s' against a healthy stand-in reported an incomplete run (%s); the hub "
                        + "then never soft-deletes, so every full sync must read to the end", mode, id(),
                        result.message())
                .isTrue();
        return result;
    }

    private static List<InMemorySyncSink.Key> writes(InMemorySyncSink sink) {
        return sink.upserts().stream()
                .filter(u -> u.outcome() == UpsertOutcome.CREATED || u.outcome() == UpsertOutcome.UPDATED)
                .map(InMemorySyncSink.Upsert::key)
                .toList();
    }

    // ---------------------------------------------------------------- checks as tests

    @Test
    void descriptorAndConfigMetadataAreSane() throws Exception {
        checkDescriptorAndConfigMetadata();
    }

    @Test
    void configValidationErrorsNameTheField() throws Exception {
        checkConfigValidationNamesFields();
    }

    @Test
    void fullSyncIsIdempotent() throws Exception {
        checkFullSyncIdempotent();
    }

    @Test
    void incrementalSyncPicksUpExactlyTheChange() throws Exception {
        checkIncrementalSync();
    }

    @Test
    void webhookVerificationRefusesTamperedBodyAndWrongSecret() throws Exception {
        checkWebhookVerification();
    }

    @Test
    void mappedRecordsSatisfyModelInvariants() throws Exception {
        checkMappedRecordInvariants();
    }

    @Test
    void errorsMapToSpiCodes() throws Exception {
        checkErrorMapping();
    }

    @Test
    void fileImportIsIdempotentAndDryRunWritesNothing() throws Exception {
        checkFileImport();
    }

    @Test
    void oauthFlowBuildsAnAuthorizationUrl() throws Exception {
        checkOAuth();
    }

    @Test
    void writeBackIsExactlyOnceAndRefusesWhatItCannotDo() throws Exception {
        checkWriteBack();
    }

    @Test
    void fullSyncReadsEveryPage() throws Exception {
        checkAllPagesRead();
    }

    @Test
    void appointmentStatusesAndTimesMapAsDeclared() throws Exception {
        checkAppointmentMapping();
    }

    @Test
    void sharedWebhookRouteFindsTheConnection() throws Exception {
        checkWebhookRouting();
    }

    @Test
    void webhookApplyIsIdempotentAndNeverGoesBackInVersion() throws Exception {
        checkWebhookApplyIdempotentAndOrdered();
    }

    @Test
    void providerFailuresAreRetriedOrMappedToSpiCodes() throws Exception {
        checkProviderFailures();
    }

    @Test
    void cancelledSyncStops() throws Exception {
        checkCancellation();
    }

    @Test
    void oneInstanceServesConcurrentCalls() throws Exception {
        checkConcurrentUse();
    }

    @Test
    void disconnectNeverFailsUnexpectedly() throws Exception {
        checkDisconnect();
    }

    @Test
    void credentialIsSentToTheProvider() throws Exception {
        checkCredentialSent();
    }

    // ---------------------------------------------------------------- the checks

    /**
     * WRITE_BACK: a booking comes back mapped and findable by its client reference (and an unknown reference finds
     * nothing); the same write key again does not book twice; another booking of the same staff member's slot is
     * SLOT_UNAVAILABLE; a stale expected version is VERSION_MISMATCH; reschedule moves it and cancel cancels it;
     * availability stays in the asked window. Without WRITE_BACK, {@code bookings()} must be UNSUPPORTED.
     */
    protected final void checkWriteBack() throws Exception {
        if (!declares(Capability.WRITE_BACK)) {
            assertUnsupported(Capability.WRITE_BACK, "bookings()", newConnector()::bookings);
            return;
        }
        Bookings bookings = newConnector(writeBackConfig()).bookings();
        assertThat(bookings).as("bookings() of '%s' returned null", id()).isNotNull();
        BookableSlot slot = bookableSlot();
        String nonce = Long.toHexString(context().random().nextLong());
        WriteKey key = new WriteKey("kit-key-" + nonce, "kit-ref-" + nonce);
        CreateBooking request = new CreateBooking(key, slot.serviceExternalId(), null, slot.staffExternalId(),
                slot.start(), new BookingClient(null, "Kit Client", null, "kit-" + nonce + "@example.com"),
                "connector kit");
        Appointment created = bookings.create(request);
        String what = "bookings().create() of '" + id() + "'";
        assertThat(created.ref().connectorId()).as(what + ": connectorId").isEqualTo(id());
        assertThat(created.start()).as(what + ": start").isEqualTo(slot.start());
        assertThat(ModelInvariants.violations(created, id())).as(what + ": model invariants").isEmpty();
        String externalId = created.ref().externalId();

        assertThat(bookings.lookupByClientReference(key.clientReference()).map(a -> a.ref().externalId()))
                .as("lookupByClientReference() of '%s' must find the booking made with that reference", id())
                .contains(externalId);
        assertThat(bookings.lookupByClientReference("kit-ref-unknown-" + nonce))
                .as("lookupByClientReference() of '%s' with a reference never used", id()).isEmpty();

        Throwable repeated = catchThrowable(() -> assertThat(bookings.create(request).ref().externalId())
                .as("the same write key must not book a second appointment").isEqualTo(externalId));
        if (repeated instanceof AssertionError failure) {
            throw failure;
        }
        if (repeated != null) {
            assertThat(repeated).as("repeating a create with its write key must answer the first booking or refuse")
                    .isInstanceOf(ConnectorException.class);
        }

        String staff = created.segments().get(0).staffExternalId();
        if (staff != null) {
            WriteKey other = new WriteKey("kit-key2-" + nonce, "kit-ref2-" + nonce);
            assertErrorCode(ErrorCode.SLOT_UNAVAILABLE, "a second booking of " + staff + "'s booked slot",
                    () -> bookings.create(new CreateBooking(other, slot.serviceExternalId(), null, staff,
                            slot.start(), new BookingClient(null, "Kit Other", "+48600000000", null), null)));
        }
        Instant later = slot.start().plus(Duration.ofDays(1));
        Long version = created.version().version();
        if (version != null) {
            assertErrorCode(ErrorCode.VERSION_MISMATCH, "a reschedule naming a stale version",
                    () -> bookings.reschedule(new RescheduleBooking(new WriteKey("kit-key3-" + nonce,
                            "kit-ref3-" + nonce), externalId, later, null, version + 1000)));
        }
        Appointment moved = bookings.reschedule(new RescheduleBooking(new WriteKey("kit-key4-" + nonce,
                "kit-ref4-" + nonce), externalId, later, null, version));
        assertThat(moved.start()).as("bookings().reschedule() of '%s': start", id()).isEqualTo(later);
        Appointment cancelled = bookings.cancel(new CancelBooking(new WriteKey("kit-key5-" + nonce,
                "kit-ref5-" + nonce), externalId, "kit", CancelBooking.CancelledBy.CLIENT,
                moved.version().version()));
        assertThat(cancelled.status().cancelled()).as("bookings().cancel() of '%s': status %s", id(),
                cancelled.status()).isTrue();
        assertThat(bookings.appointment(externalId).map(a -> a.status().cancelled())).contains(true);

        Instant to = slot.start().plus(Duration.ofDays(2));
        List<AvailabilitySlot> free = bookings.searchAvailability(new AvailabilityQuery(slot.serviceExternalId(),
                slot.staffExternalId(), slot.start(), to));
        assertThat(free).as("searchAvailability() of '%s' must stay in the window", id()).allSatisfy(s -> {
            assertThat(s.start()).isBetween(slot.start(), to);
            assertThat(ModelInvariants.violations(s, id())).isEmpty();
        });
    }

    private void assertErrorCode(ErrorCode expected, String what, Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).as("connector '%s' must refuse %s with %s", id(), what, expected)
                .isInstanceOf(ConnectorException.class);
        assertThat(((ConnectorException) thrown).code()).as("connector '%s', %s: %s", id(), what, thrown.getMessage())
                .isEqualTo(expected);
    }

    /** Descriptor identity, stable descriptor, metadata that validates, secrets flagged, secrets masked. */
    protected final void checkDescriptorAndConfigMetadata() throws Exception {
        ConnectorDescriptor d = descriptor();
        assertThat(d).as("%s.descriptor() must not be null", factoryName()).isNotNull();
        assertThat(factory().descriptor()).as("descriptor() of '%s' must return an equal value on every call", d.id())
                .isEqualTo(d);
        assertThat(ConnectorDescriptor.ID.matcher(d.id()).matches()).as("connector id '%s'", d.id()).isTrue();
        assertThat(d.version()).as("descriptor version of '%s' must not be blank", d.id()).isNotBlank();
        assertThat(d.description()).as("descriptor description of '%s' must not be blank: admins choose "
                + "connectors by it", d.id()).isNotBlank();
        assertThat(d.capabilities()).as("connector '%s' declares no capabilities", d.id()).isNotEmpty();

        for (ConfigProperty p : d.configProperties()) {
            assertThat(p.description()).as("config property '%s' of '%s' has no description", p.name(), d.id())
                    .isNotBlank();
            if (SECRET_LIKE.matcher(p.name()).matches()) {
                assertThat(p.secret()).as("config property '%s' of '%s' looks like a secret but is not flagged "
                        + "secret(): it would be shown to admins and stored unencrypted", p.name(), d.id()).isTrue();
            }
            if (p.defaultValue() != null) {
                Throwable problem = catchThrowable(() -> ConfigValidator.validate(List.of(p), Map.of(), e -> null));
                assertThat(problem).as("the default '%s' of config property '%s' of '%s' fails its own %s "
                        + "validation", p.defaultValue(), p.name(), d.id(), p.type()).isNull();
            }
        }
        Set<String> expectedSecrets = secretPropertyNames();
        if (expectedSecrets != null) {
            Set<String> flagged = d.configProperties().stream().filter(ConfigProperty::secret)
                    .map(ConfigProperty::name).collect(Collectors.toCollection(TreeSet::new));
            assertThat(flagged).as("config properties of '%s' flagged secret()", d.id())
                    .containsExactlyInAnyOrderElementsOf(expectedSecrets);
        }

        ConnectorConfig config;
        try {
            config = ConfigValidator.validate(d.configProperties(), validConfig(), e -> null);
        } catch (ConfigValidationException e) {
            throw new AssertionError("validConfig() of " + getClass().getSimpleName() + " does not pass '" + d.id()
                    + "''s own metadata: " + e.getMessage(), e);
        }
        assertNoSecretIn("ConnectorConfig.masked()", config.masked().toString());
        assertNoSecretIn("ConnectorConfig.toString()", config.toString());

        BookingConnector connector = newConnector();
        assertThat(connector.descriptor()).as("connector.descriptor() of '%s' must equal its factory's", d.id())
                .isEqualTo(d);
        assertNoSecretIn("the connector's toString()", connector.toString());
        Throwable closing = catchThrowable(() -> {
            connector.close();
            connector.close();
        });
        assertThat(closing).as("close() of '%s' must never throw, even when called twice", d.id()).isNull();
    }

    /** Required fields, typed values, JSON properties and cross-field rules are refused naming the field. */
    protected final void checkConfigValidationNamesFields() throws Exception {
        ConnectorDescriptor d = descriptor();
        for (ConfigProperty p : d.configProperties()) {
            if (p.required() && p.defaultValue() == null) {
                Map<String, Object> config = new LinkedHashMap<>(validConfig());
                config.remove(p.name());
                assertRefusedNaming(p.name(), config, "without required property '" + p.name() + "'");
            }
            String invalid = invalidValue(p.type());
            if (invalid != null) {
                Map<String, Object> config = new LinkedHashMap<>(validConfig());
                config.put(p.name(), invalid);
                assertRefusedNaming(p.name(), config, p.type() + " property '" + p.name() + "' = '" + invalid + "'");
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : invalidConfigs().entrySet()) {
            assertRefusedNaming(e.getKey(), e.getValue(), "invalidConfigs() entry for '" + e.getKey() + "'");
        }
    }

    private static String invalidValue(ConfigType type) {
        return switch (type) {
            case INTEGER -> "twelve";
            case DECIMAL -> "1,5x";
            case BOOLEAN -> "maybe";
            case URL -> "not a url";
            case ENUM -> "no-such-choice";
            case DURATION -> "15 minutes";
            case JSON -> "{\"unclosed\": ";
            case STRING -> null;
        };
    }

    private void assertRefusedNaming(String field, Map<String, Object> config, String situation) {
        Throwable thrown = catchThrowable(() -> factory().create(newContext(config)).close());
        String expectation = "Connector '" + id() + "' must refuse a configuration " + situation
                + " with ConnectorException(INVALID_INPUT) naming '" + field + "'";
        if (thrown == null) {
            fail(expectation + ", but create() accepted it");
        }
        if (!(thrown instanceof ConnectorException ce)) {
            throw new AssertionError(expectation + ", but it threw " + thrown, thrown);
        }
        assertThat(ce.code()).as(expectation + "; got " + ce).isEqualTo(ErrorCode.INVALID_INPUT);
        if (ce instanceof ConfigValidationException cve) {
            assertThat(cve.errors()).as(expectation + "; field errors were " + cve.errors())
                    .anyMatch(fe -> fe.field().equals(field));
        } else {
            assertThat(ce.getMessage()).as(expectation + "; the message does not name it").contains(field);
        }
        assertNoSecretIn("the configuration error", ce.getMessage());
    }

    /** Two full syncs against an unchanged provider leave the same state and the second writes nothing. */
    protected final void checkFullSyncIdempotent() throws Exception {
        BookingConnector connector = newConnector();
        InMemorySyncSink sink = new InMemorySyncSink();
        if (!declares(Capability.FULL_SYNC)) {
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-full", SyncMode.FULL), sink));
            return;
        }
        sync(connector, SyncMode.FULL, sink);
        Map<InMemorySyncSink.Key, Object> first = sink.live();
        assertThat(first).as("the first full sync of '%s' wrote no records: give the provider stand-in data, or "
                + "the idempotence check proves nothing", id()).isNotEmpty();

        // Time passes between runs in the hub; a mapping that reads the clock must show up here.
        context().clock().advance(Duration.ofMinutes(5));
        sink.newRun();
        sync(connector, SyncMode.FULL, sink);
        assertThat(writes(sink)).as("a second full sync of '%s' against an unchanged provider must write nothing "
                + "(every upsert UNCHANGED); these were created or updated — is a mapped field unstable (e.g. a "
                + "timestamp from the clock, a random id, an unordered collection)?", id()).isEmpty();
        assertThat(sink.deletes()).as("a second full sync of '%s' deleted records the provider still has", id())
                .isEmpty();
        assertThat(sink.live()).as("state after the second full sync of '%s'", id()).isEqualTo(first);
        Set<InMemorySyncSink.Key> unseen = new TreeSet<>(Comparator.comparing(Object::toString));
        unseen.addAll(first.keySet());
        unseen.removeAll(sink.seen());
        assertThat(unseen).as("a full sync of '%s' must upsert every record the provider still has, or the hub "
                + "soft-deletes the rest; the second run did not upsert these", id()).isEmpty();
        for (String text : context().audit().allText()) {
            assertNoSecretIn("an audit row", text);
        }
        for (InMemorySyncSink.Skip skip : sink.skipped()) {
            assertNoSecretIn("a skip reason", skip.reason());
        }
    }

    /** After a full sync and one change at the provider, an incremental sync writes exactly that record. */
    protected final void checkIncrementalSync() throws Exception {
        BookingConnector connector = newConnector();
        InMemorySyncSink sink = new InMemorySyncSink();
        if (!declares(Capability.INCREMENTAL_SYNC)) {
            assertUnsupported(Capability.INCREMENTAL_SYNC, "sync(INCREMENTAL)",
                    () -> connector.sync(new SyncRequest("contract-incremental", SyncMode.INCREMENTAL), sink),
                    Capability.FULL_SYNC);
            return;
        }
        sync(connector, SyncMode.FULL, sink);
        assertThat(sink.cursors()).as("connector '%s' declares INCREMENTAL_SYNC but its full sync saved no cursor: "
                + "the next incremental run cannot know where to start", id()).isNotEmpty();
        Map<InMemorySyncSink.Key, Object> before = sink.live();
        List<InMemorySyncSink.Upsert> fullUpserts = sink.upserts();
        ScriptedProvider provider = scriptedProvider();

        context().clock().advance(Duration.ofMinutes(1));
        ChangedRecord changed = changeOneRecordAtProvider();
        assertThat(changed).as("changeOneRecordAtProvider() returned null").isNotNull();
        InMemorySyncSink.Key key = new InMemorySyncSink.Key(changed.kind(), changed.externalId());
        context().clock().advance(Duration.ofMinutes(1));

        sink.newRun();
        int logged = provider == null ? 0 : provider.requests().size();
        sync(connector, SyncMode.INCREMENTAL, sink);
        assertThat(writes(sink)).as("the incremental sync of '%s' after changing only %s must create or update "
                + "exactly that record", id(), key).containsExactly(key);
        assertThat(sink.live().get(key)).as("%s after the incremental sync of '%s' must differ from before", key,
                id()).isNotNull().isNotEqualTo(before.get(key));
        assertThat(sink.deletes()).as("an incremental sync of '%s' deleted records", id()).isEmpty();

        // Writing only the change is not enough: a run that re-reads everything writes the rest as UNCHANGED.
        long full = fullUpserts.stream().filter(u -> u.key().kind() == key.kind()).count();
        long incremental = sink.upserts().stream().filter(u -> u.key().kind() == key.kind()).count();
        assertThat(full).as("the full sync of '%s' upserted %d %s record(s); the incremental check needs at least two "
                + "at the stand-in to tell an incremental run from a full one", id(), full, key.kind())
                .isGreaterThanOrEqualTo(2);
        assertThat(incremental).as("the incremental sync of '%s' upserted %d of the %d %s records after one change: "
                + "it must read from its saved cursor (a little overlap is fine), not re-read everything", id(),
                incremental, full, key.kind()).isLessThanOrEqualTo(Math.max(1, full / 2));
        if (provider != null) {
            List<RecordedRequest> sent = provider.requests().subList(logged, provider.requests().size());
            for (Resource r : provider.resources()) {
                if (r.updatedAfterParam() == null) {
                    continue;
                }
                List<RecordedRequest> lists = sent.stream().filter(q -> q.path().equals(r.path())).toList();
                assertThat(lists).as("the incremental sync of '%s' must list %s with its cursor in %s", id(), r.path(),
                        r.updatedAfterParam()).isNotEmpty()
                        .allSatisfy(q -> assertThat(q.queryParam(r.updatedAfterParam())).as("%s of the incremental "
                                + "sync of '%s' must carry %s (the saved cursor)", q, id(), r.updatedAfterParam())
                                .isPresent());
            }
        }
    }

    /** A correctly signed request verifies; a tampered body and a wrong secret are refused. */
    protected final void checkWebhookVerification() throws Exception {
        BookingConnector connector = newConnector();
        if (!declares(Capability.WEBHOOKS)) {
            assertUnsupported(Capability.WEBHOOKS, "webhooks()", connector::webhooks);
            return;
        }
        WebhookHandler handler = connector.webhooks();
        assertThat(handler).as("webhooks() of '%s' returned null", id()).isNotNull();
        assertThat(handler.accountId()).as("webhooks().accountId() of '%s' must name the provider account the "
                + "connection receives events for", id()).isNotBlank();
        byte[] body = sampleWebhookBody();
        WebhookRequest signed = signedWebhook(body);
        try {
            handler.verify(signed);
        } catch (WebhookVerificationException e) {
            throw new AssertionError("webhooks().verify() of '" + id() + "' refused a correctly signed request ("
                    + e.reason() + ": " + e.getMessage() + "); is signedWebhook() signing with the secret in "
                    + "validConfig() at TestContext.DEFAULT_NOW?", e);
        }
        List<WebhookEvent> events = handler.parse(signed);
        assertThat(events).as("webhooks().parse() of '%s' found no event in sampleWebhookBody()", id()).isNotEmpty();
        assertThat(events).allSatisfy(ev -> assertThat(ev.type()).as("event type").isNotBlank());

        WebhookRequest tampered = new WebhookRequest(tamper(body), signed.headers());
        assertRefused(handler, tampered, "a request whose body was changed after signing");
        Throwable unsigned = catchThrowable(() -> handler.verify(new WebhookRequest(body, Map.of())));
        String noHeaders = "webhooks().verify() of '" + id() + "' must refuse the sample body sent with no headers at "
                + "all (no signature header) with WebhookVerificationException";
        if (unsigned == null) {
            fail(noHeaders + ", but it accepted it");
        }
        if (!(unsigned instanceof WebhookVerificationException)) {
            throw new AssertionError(noHeaders + ", but it threw " + unsigned, unsigned);
        }

        Set<String> secretNames = webhookSecretPropertyNames();
        Map<String, Object> wrong = new LinkedHashMap<>(validConfig());
        int changed = 0;
        for (String name : secretNames) {
            Object value = wrong.get(name);
            if (value != null) {
                wrong.put(name, mutate(value.toString()));
                changed++;
            }
        }
        if (changed == 0) {
            fail("Connector '" + id() + "' declares WEBHOOKS, but no webhook secret property (" + secretNames
                    + ") is set in validConfig(); set one, or override webhookSecretPropertyNames()");
        }
        WebhookHandler wrongSecret = newConnector(wrong).webhooks();
        assertRefused(wrongSecret, signedWebhook(body), "a request signed with a secret the connection does not have");
    }

    private void assertRefused(WebhookHandler handler, WebhookRequest request, String what) {
        Throwable thrown = catchThrowable(() -> handler.verify(request));
        String expectation = "webhooks().verify() of '" + id() + "' must refuse " + what
                + " with WebhookVerificationException(SIGNATURE_MISMATCH)";
        if (thrown == null) {
            fail(expectation + ", but it accepted it");
        }
        if (!(thrown instanceof WebhookVerificationException wve)) {
            throw new AssertionError(expectation + ", but it threw " + thrown, thrown);
        }
        assertThat(wve.reason()).as(expectation + "; got " + wve.reason() + ": " + wve.getMessage())
                .isEqualTo(WebhookVerificationException.Reason.SIGNATURE_MISMATCH);
        assertNoSecretIn("the verification error", wve.getMessage());
    }

    // Changes one letter or digit, so the body stays the same shape (still JSON) but no longer matches.
    private static byte[] tamper(byte[] body) {
        byte[] copy = body.clone();
        for (int i = copy.length / 2; i < copy.length + copy.length / 2; i++) {
            int at = i % Math.max(copy.length, 1);
            if (copy.length > 0 && Character.isLetterOrDigit(copy[at])) {
                copy[at] = (byte) next((char) copy[at]);
                return copy;
            }
        }
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        longer[body.length] = ' ';
        return longer;
    }

    // Same length and character classes, so the secret keeps its format (base64, whsec_ prefix) but differs.
    private static String mutate(String secret) {
        char[] chars = secret.toCharArray();
        for (int i = chars.length / 2; i < chars.length + chars.length / 2; i++) {
            int at = i % chars.length;
            if (Character.isLetterOrDigit(chars[at]) && !(at >= chars.length - 3 && secret.contains("="))) {
                chars[at] = next(chars[at]);
                return new String(chars);
            }
        }
        return secret + "x";
    }

    private static char next(char c) {
        if (c >= '0' && c <= '9') {
            return c == '9' ? '0' : (char) (c + 1);
        }
        if (c >= 'a' && c <= 'z') {
            return c == 'z' ? 'a' : (char) (c + 1);
        }
        if (c >= 'A' && c <= 'Z') {
            return c == 'Z' ? 'A' : (char) (c + 1);
        }
        return c == 'x' ? 'y' : 'x';
    }

    /**
     * Everything the connector maps (full sync, sample webhook events, sample import) satisfies
     * {@link ModelInvariants}, and no two different records of a run share a kind and external id.
     */
    protected final void checkMappedRecordInvariants() throws Exception {
        List<String> sources = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        if (declares(Capability.FULL_SYNC)) {
            InMemorySyncSink sink = new InMemorySyncSink();
            sync(newConnector(), SyncMode.FULL, sink);
            collect("full sync", sink, sources, violations);
        }
        if (declares(Capability.WEBHOOKS)) {
            BookingConnector connector = newConnector();
            WebhookRequest request = signedWebhook(sampleWebhookBody());
            InMemorySyncSink sink = new InMemorySyncSink();
            for (WebhookEvent event : connector.webhooks().parse(request)) {
                connector.webhooks().apply(event, sink);
            }
            collect("webhook apply", sink, sources, violations);
        }
        if (declares(Capability.FILE_IMPORT)) {
            ImportSample sample = sampleImport();
            InMemorySyncSink sink = new InMemorySyncSink();
            newConnector().fileImport().importFile(sample.kind(), new ByteArrayInputStream(sample.content()), false,
                    sink);
            collect("file import of '" + sample.kind() + "'", sink, sources, violations);
        }
        if (sources.isEmpty()) {
            // Nothing is mapped, so the record-producing operations must all refuse clearly.
            BookingConnector connector = newConnector();
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-full", SyncMode.FULL), new InMemorySyncSink()));
            assertUnsupported(Capability.WEBHOOKS, "webhooks()", connector::webhooks);
            assertUnsupported(Capability.FILE_IMPORT, "fileImport()", connector::fileImport);
            return;
        }
        assertThat(violations).as("records mapped by '%s' (from %s) break the model's invariants", id(), sources)
                .isEmpty();
    }

    private void collect(String source, InMemorySyncSink sink, List<String> sources, List<String> violations) {
        List<InMemorySyncSink.Upsert> upserts = sink.upserts();
        assertThat(upserts).as("%s of '%s' mapped no records; the invariants check needs some", source, id())
                .isNotEmpty();
        sources.add(source + " (" + upserts.size() + " records)");
        Map<InMemorySyncSink.Key, Object> byKey = new LinkedHashMap<>();
        for (InMemorySyncSink.Upsert u : upserts) {
            ModelInvariants.violations(u.record(), id()).forEach(v -> violations.add(source + ": " + v));
            Object previous = byKey.put(u.key(), u.record());
            if (previous != null && !previous.equals(u.record())) {
                violations.add(source + ": two different records share external id " + u.key()
                        + " — external ids must be unique per kind");
            }
        }
    }

    /** Provider failures surface as ConnectorException with the SPI's codes; files with an unknown kind too. */
    protected final void checkErrorMapping() throws Exception {
        boolean checked = false;
        if (declares(Capability.FULL_SYNC)) {
            boolean first = true;
            for (Map.Entry<Integer, ErrorCode> e : expectedErrorCodes().entrySet()) {
                if (!first) {
                    tearDownProvider();
                    setUpProvider();
                }
                first = false;
                BookingConnector connector = newConnector();
                makeProviderFail(e.getKey());
                Throwable thrown = catchThrowable(() -> connector.sync(
                        new SyncRequest("contract-errors", SyncMode.FULL), new InMemorySyncSink()));
                String expectation = "when the provider answers HTTP " + e.getKey() + ", sync of '" + id()
                        + "' must throw ConnectorException(" + e.getValue() + ")";
                if (thrown == null) {
                    fail(expectation + ", but the sync returned normally");
                }
                if (!(thrown instanceof ConnectorException ce)) {
                    throw new AssertionError(expectation + "; connectors never throw their own exception types, "
                            + "but it threw " + thrown, thrown);
                }
                assertThat(ce.code()).as(expectation + "; got " + ce).isEqualTo(e.getValue());
                assertNoSecretIn("the error message", ce.getMessage());
            }
            checked = true;
        }
        if (declares(Capability.FILE_IMPORT)) {
            BookingConnector connector = newConnector();
            String kind = "no-such-kind";
            Throwable thrown = catchThrowable(() -> connector.fileImport().importFile(kind,
                    new ByteArrayInputStream(new byte[0]), false, new InMemorySyncSink()));
            String expectation = "fileImport().importFile('" + kind + "', ...) of '" + id()
                    + "' must throw ConnectorException(INVALID_INPUT) naming the kind";
            if (!(thrown instanceof ConnectorException ce)) {
                throw new AssertionError(expectation + ", but got " + thrown, thrown);
            }
            assertThat(ce.code()).as(expectation + "; got " + ce).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(ce.getMessage()).as(expectation).contains(kind);
            checked = true;
        }
        if (!checked) {
            BookingConnector connector = newConnector();
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-errors", SyncMode.FULL), new InMemorySyncSink()));
        }
    }

    /** A dry run writes nothing; an import lands records; importing the same file again writes nothing. */
    protected final void checkFileImport() throws Exception {
        BookingConnector connector = newConnector();
        if (!declares(Capability.FILE_IMPORT)) {
            assertUnsupported(Capability.FILE_IMPORT, "fileImport()", connector::fileImport);
            return;
        }
        ImportSample sample = sampleImport();
        InMemorySyncSink sink = new InMemorySyncSink();
        // The hub writes nothing in a dry run whatever the importer does; the importer upserts so it can count.
        sink.dryRun(true);
        connector.fileImport().importFile(sample.kind(), new ByteArrayInputStream(sample.content()), true, sink);
        assertThat(sink.deletes()).as("a dry-run import by '%s' must not delete anything", id()).isEmpty();
        long wouldCreate = sink.count(UpsertOutcome.CREATED);

        sink.newRun();
        sink.dryRun(false);
        connector.fileImport().importFile(sample.kind(), new ByteArrayInputStream(sample.content()), false, sink);
        Map<InMemorySyncSink.Key, Object> first = sink.live();
        assertThat(first).as("importing sampleImport() with '%s' wrote no records", id()).isNotEmpty();
        assertThat(sink.skipped()).as("sampleImport() should be a valid file, but '%s' skipped rows", id()).isEmpty();
        assertThat(sink.count(UpsertOutcome.CREATED)).as("a dry run of sampleImport() by '%s' must upsert what the "
                + "import creates, so the hub can count it", id()).isEqualTo(wouldCreate);

        sink.newRun();
        connector.fileImport().importFile(sample.kind(), new ByteArrayInputStream(sample.content()), false, sink);
        assertThat(writes(sink)).as("importing the same file again with '%s' must write nothing (rows keyed by a "
                + "stable id)", id()).isEmpty();
        assertThat(sink.live()).as("state after re-importing the same file with '%s'", id()).isEqualTo(first);
    }

    /** The authorization URL carries the state and the PKCE challenge. */
    protected final void checkOAuth() throws Exception {
        BookingConnector connector = declares(Capability.OAUTH_CONNECT) ? newConnector(oauthConfig()) : newConnector();
        if (!declares(Capability.OAUTH_CONNECT)) {
            assertUnsupported(Capability.OAUTH_CONNECT, "oauth()", connector::oauth);
            return;
        }
        String state = "contract-state-7f3a";
        String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        URI url = connector.oauth().authorizationUrl(state, challenge);
        assertThat(url).as("oauth().authorizationUrl() of '%s'", id()).isNotNull();
        assertThat(url.isAbsolute()).as("authorization URL %s of '%s' must be absolute", url, id()).isTrue();
        assertThat(url.getRawQuery()).as("authorization URL of '%s' must carry state and the S256 challenge", id())
                .contains("state=" + state).contains(challenge);
        assertNoSecretIn("the authorization URL", url.toString());
    }

    // ---------------------------------------------------------------- the checks of issue 12

    /**
     * A full sync reads every page: with a {@link #scriptedProvider()} every record of each resource that declares a
     * kind (and holds more than one page) is in the sink; otherwise the counts of {@link #expectedRecordCounts()}.
     */
    protected final void checkAllPagesRead() throws Exception {
        BookingConnector connector = newConnector();
        if (!declares(Capability.FULL_SYNC)) {
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-full", SyncMode.FULL), new InMemorySyncSink()));
            return;
        }
        Map<RecordKind, Integer> counts = expectedRecordCounts();
        InMemorySyncSink sink = new InMemorySyncSink();
        sync(connector, SyncMode.FULL, sink);
        ScriptedProvider provider = scriptedProvider();
        boolean checked = !counts.isEmpty();
        if (provider != null) {
            for (Resource r : provider.resources()) {
                if (r.kind() == null) {
                    continue;
                }
                List<String> ids = provider.ids(r.path());
                if (r.paged() && ids.size() <= r.maxPageSize()) {
                    fail("the scripted provider's " + r.path() + " holds " + ids.size() + " records, no more than one "
                            + "page (maxPageSize " + r.maxPageSize() + "): declare more records or a smaller "
                            + "maxPageSize, or the all-pages check proves nothing");
                }
                Set<String> missing = new TreeSet<>(ids);
                missing.removeAll(sink.records(r.kind(), Object.class).keySet());
                assertThat(missing).as("a full sync of '%s' must read every page of %s (%d records, pages of at most "
                        + "%d), and report the run complete only then; these %s records are missing", id(), r.path(),
                        ids.size(), r.maxPageSize(), r.kind()).isEmpty();
                checked = true;
            }
        }
        if (!checked) {
            fail("neither expectedRecordCounts() nor the scripted provider's resources (Resource.kind(...)) say what "
                    + "a full sync of '" + id() + "' must read");
        }
        counts.forEach((kind, count) -> assertThat(sink.records(kind, Object.class)).as("%s records after a full "
                + "sync of '%s' (every page read)", kind, id()).hasSize(count));
    }

    /**
     * The appointments of {@link #expectedAppointments()} map to exactly the declared status, start and end (from a
     * full sync, the sample webhook and the sample import, whichever the connector declares).
     */
    protected final void checkAppointmentMapping() throws Exception {
        Map<String, Appointment> mapped = new LinkedHashMap<>();
        if (declares(Capability.FULL_SYNC)) {
            InMemorySyncSink sink = new InMemorySyncSink();
            sync(newConnector(), SyncMode.FULL, sink);
            mapped.putAll(sink.records(RecordKind.APPOINTMENT, Appointment.class));
        }
        if (declares(Capability.WEBHOOKS)) {
            InMemorySyncSink sink = new InMemorySyncSink();
            applyAll(newConnector().webhooks(), sampleWebhookBody(), sink);
            sink.records(RecordKind.APPOINTMENT, Appointment.class).forEach(mapped::putIfAbsent);
        }
        if (declares(Capability.FILE_IMPORT)) {
            ImportSample sample = sampleImport();
            InMemorySyncSink sink = new InMemorySyncSink();
            newConnector().fileImport().importFile(sample.kind(), new ByteArrayInputStream(sample.content()), false,
                    sink);
            sink.records(RecordKind.APPOINTMENT, Appointment.class).forEach(mapped::putIfAbsent);
        }
        if (mapped.isEmpty()) {
            return;
        }
        List<ExpectedAppointment> expected = expectedAppointments();
        assertThat(expected.stream().map(ExpectedAppointment::status).distinct().count())
                .as("expectedAppointments() must declare appointments with at least two different statuses, or a "
                        + "connector that maps every booking to one status passes").isGreaterThanOrEqualTo(2);
        for (ExpectedAppointment e : expected) {
            Appointment a = mapped.get(e.externalId());
            assertThat(a).as("'%s' mapped no appointment %s (it mapped %s)", id(), e.externalId(), mapped.keySet())
                    .isNotNull();
            assertThat(a.status()).as("status of appointment %s mapped by '%s' (provider status '%s')",
                    e.externalId(), id(), a.providerStatus()).isEqualTo(e.status());
            assertThat(a.start()).as("start of appointment %s mapped by '%s' (a shift of whole hours usually means the "
                    + "provider's UTC offset was dropped)", e.externalId(), id()).isEqualTo(e.start());
            if (e.end() != null) {
                assertThat(a.end()).as("end of appointment %s mapped by '%s'", e.externalId(), id())
                        .isEqualTo(e.end());
            }
        }
    }

    /**
     * For a connector routed by account ({@link #webhooksRoutedByAccount()}), {@code webhookAccountId} of the signed
     * sample names the connection's {@code accountId()}; for every webhook connector it never throws on garbage.
     */
    protected final void checkWebhookRouting() throws Exception {
        BookingConnector connector = newConnector();
        if (!declares(Capability.WEBHOOKS)) {
            assertUnsupported(Capability.WEBHOOKS, "webhooks()", connector::webhooks);
            return;
        }
        for (byte[] garbage : List.of(new byte[0], "<html/>".getBytes(StandardCharsets.UTF_8),
                "{\"account_id\": [".getBytes(StandardCharsets.UTF_8))) {
            Throwable thrown = catchThrowable(() -> factory().webhookAccountId(new WebhookRequest(garbage, Map.of())));
            assertThat(thrown).as("%s.webhookAccountId() must answer empty, not throw, for a malformed request",
                    factoryName()).isNull();
        }
        String account = connector.webhooks().accountId();
        if (!webhooksRoutedByAccount() || account == null || account.isBlank()) {
            return;
        }
        Optional<String> routed = factory().webhookAccountId(signedWebhook(sampleWebhookBody()));
        assertThat(routed).as("%s.webhookAccountId(signed sample webhook) must name the account of the connection "
                + "(webhooks().accountId() = '%s'), or the hub's shared webhook route can never reach it; a connector "
                + "whose webhooks arrive on per-connection URLs overrides webhooksRoutedByAccount()", factoryName(),
                account).contains(account);
    }

    /**
     * Applying the sample webhook's events a second time writes nothing; an older event applied after a newer one
     * leaves the newer (the events' provider versions reach the sink).
     */
    protected final void checkWebhookApplyIdempotentAndOrdered() throws Exception {
        BookingConnector connector = newConnector();
        if (!declares(Capability.WEBHOOKS)) {
            assertUnsupported(Capability.WEBHOOKS, "webhooks()", connector::webhooks);
            return;
        }
        WebhookHandler handler = connector.webhooks();
        InMemorySyncSink sink = new InMemorySyncSink();
        applyAll(handler, sampleWebhookBody(), sink);
        Map<InMemorySyncSink.Key, Object> once = sink.live();
        // The hub may apply an event again after a crash, later: a mapping that reads the clock shows up here.
        context().clock().advance(Duration.ofMinutes(5));
        sink.newRun();
        applyAll(handler, sampleWebhookBody(), sink);
        assertThat(writes(sink)).as("applying the same webhook events again with '%s' must write nothing (apply() "
                + "must be idempotent)", id()).isEmpty();
        assertThat(sink.live()).as("state after applying the same webhook twice with '%s'", id()).isEqualTo(once);

        OutOfOrderWebhooks pair = outOfOrderWebhooks();
        if (pair == null) {
            return;
        }
        InMemorySyncSink olderAlone = new InMemorySyncSink();
        applyAll(handler, pair.older(), olderAlone);
        InMemorySyncSink ordered = new InMemorySyncSink();
        applyAll(handler, pair.newer(), ordered);
        Map<InMemorySyncSink.Key, Object> newest = ordered.live();
        assertThat(newest).as("outOfOrderWebhooks().newer() wrote nothing with '%s'", id()).isNotEmpty()
                .as("outOfOrderWebhooks(): the older event must map to other content than the newer one, or the "
                        + "ordering check proves nothing").isNotEqualTo(olderAlone.live());
        ordered.newRun();
        applyAll(handler, pair.older(), ordered);
        assertThat(ordered.live()).as("an older webhook event applied after a newer one overwrote it with '%s': map "
                + "the provider's version or updated-at into ProviderVersion so the hub can refuse stale writes", id())
                .isEqualTo(newest);
    }

    private void applyAll(WebhookHandler handler, byte[] body, InMemorySyncSink sink) {
        WebhookRequest request = signedWebhook(body);
        try {
            handler.verify(request);
        } catch (WebhookVerificationException e) {
            throw new AssertionError("webhooks().verify() of '" + id() + "' refused a signed webhook: " + e.reason(), e);
        }
        for (WebhookEvent event : handler.parse(request)) {
            handler.apply(event, sink);
        }
    }

    /**
     * With a {@link #scriptedProvider()}: one 503 and one 429 with {@code Retry-After} are retried (the run completes
     * and the failed request was sent again); a provider answering only 500, HTML or malformed JSON fails the sync
     * with a {@link ConnectorException} (PROVIDER_UNAVAILABLE or PROVIDER_ERROR), never another exception.
     */
    protected final void checkProviderFailures() throws Exception {
        if (!declares(Capability.FULL_SYNC)) {
            BookingConnector connector = newConnector();
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-full", SyncMode.FULL), new InMemorySyncSink()));
            return;
        }
        ScriptedProvider provider = scriptedProvider();
        assumeTrue(provider != null, "the retry and malformed-answer checks need a scriptedProvider()");
        for (int status : new int[] {503, 429}) {
            provider.reset();
            BookingConnector connector = newConnector();
            int logged = provider.requests().size();
            provider.failNext(1, status, Duration.ofSeconds(1));
            SyncResult result;
            try {
                result = connector.sync(new SyncRequest("contract-retry", SyncMode.FULL), new InMemorySyncSink());
            } catch (ConnectorException e) {
                throw new AssertionError("one HTTP " + status + " with Retry-After: 1 must be retried (validConfig() "
                        + "must allow retries), but the sync of '" + id() + "' failed: " + e, e);
            }
            assertThat(result.complete()).as("a sync of '%s' that met one HTTP %s must complete after retrying",
                    id(), status).isTrue();
            // Connectors may fetch pages concurrently: the retry need not be the very next request.
            List<RecordedRequest> sent = provider.requests().subList(logged, provider.requests().size());
            int failed = 0;
            while (failed < sent.size() && sent.get(failed).status() != status) {
                failed++;
            }
            assertThat(failed).as("the scripted HTTP %s never reached the provider", status).isLessThan(sent.size());
            RecordedRequest first = sent.get(failed);
            assertThat(sent.subList(failed + 1, sent.size())).as("after HTTP %s to %s the sync of '%s' must send that "
                    + "request again", status, first, id()).anySatisfy(r -> {
                        assertThat(r.path()).isEqualTo(first.path());
                        assertThat(r.query()).isEqualTo(first.query());
                        assertThat(r.status()).isEqualTo(200);
                    });
        }
        Map<String, Runnable> failures = new LinkedHashMap<>();
        failures.put("HTTP 500 to every request", () -> provider.failAlways(500));
        failures.put("an HTML page (200, text/html)", () -> provider.htmlNext(50, 200));
        failures.put("malformed JSON (200, application/json)", () -> provider.malformedJsonNext(50));
        for (Map.Entry<String, Runnable> failure : failures.entrySet()) {
            provider.reset();
            BookingConnector connector = newConnector();
            failure.getValue().run();
            Throwable thrown = catchThrowable(() -> connector.sync(new SyncRequest("contract-failure", SyncMode.FULL),
                    new InMemorySyncSink()));
            String expectation = "when the provider answers " + failure.getKey() + ", the sync of '" + id()
                    + "' must throw ConnectorException(PROVIDER_UNAVAILABLE or PROVIDER_ERROR)";
            if (thrown == null) {
                fail(expectation + ", but it returned normally");
            }
            if (!(thrown instanceof ConnectorException ce)) {
                throw new AssertionError(expectation + ", but it threw " + thrown, thrown);
            }
            assertThat(ce.code()).as(expectation + "; got " + ce)
                    .isIn(ErrorCode.PROVIDER_UNAVAILABLE, ErrorCode.PROVIDER_ERROR);
            assertNoSecretIn("the error message", ce.getMessage());
        }
        provider.reset();
    }

    /** A full sync whose sink says "cancelled" after the first record stops and reports an incomplete run. */
    protected final void checkCancellation() throws Exception {
        BookingConnector connector = newConnector();
        if (!declares(Capability.FULL_SYNC)) {
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-full", SyncMode.FULL), new InMemorySyncSink()));
            return;
        }
        InMemorySyncSink all = new InMemorySyncSink();
        sync(connector, SyncMode.FULL, all);
        int total = all.upserts().size();
        InMemorySyncSink sink = new InMemorySyncSink();
        sink.cancelWhen(() -> !sink.upserts().isEmpty());
        SyncResult result;
        try {
            result = connector.sync(new SyncRequest("contract-cancel", SyncMode.FULL), sink);
        } catch (ConnectorException e) {
            throw new AssertionError("a cancelled sync of '" + id() + "' must return an incomplete SyncResult, not "
                    + "fail: " + e, e);
        }
        assertThat(result).as("sync of '%s' returned null", id()).isNotNull();
        assertThat(result.complete()).as("a sync of '%s' cancelled after its first record must not report a complete "
                + "run (check SyncSink.cancelled() between pages)", id()).isFalse();
        assertThat(sink.upserts().size()).as("a sync of '%s' cancelled after its first record must stop: it went on "
                + "to write %d of the %d records", id(), sink.upserts().size(), total).isLessThan(total);
    }

    /**
     * One connector instance serves several threads at once (SPI: instances must be thread-safe): three full syncs
     * into their own sinks each leave what one sync alone leaves, and the sample webhook applied from three threads
     * likewise.
     */
    protected final void checkConcurrentUse() throws Exception {
        boolean sync = declares(Capability.FULL_SYNC);
        boolean webhooks = declares(Capability.WEBHOOKS);
        BookingConnector connector = newConnector();
        if (!sync && !webhooks) {
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-full", SyncMode.FULL), new InMemorySyncSink()));
            return;
        }
        ScriptedProvider provider = scriptedProvider();
        List<Callable<Map<InMemorySyncSink.Key, Object>>> calls = new ArrayList<>();
        Map<InMemorySyncSink.Key, Object> expectedSync = null;
        if (sync) {
            InMemorySyncSink alone = new InMemorySyncSink();
            sync(connector, SyncMode.FULL, alone);
            expectedSync = alone.live();
            for (int i = 0; i < 3; i++) {
                calls.add(() -> {
                    InMemorySyncSink sink = new InMemorySyncSink();
                    sync(connector, SyncMode.FULL, sink);
                    return sink.live();
                });
            }
        }
        Map<InMemorySyncSink.Key, Object> expectedApply = null;
        if (webhooks) {
            WebhookHandler handler = connector.webhooks();
            InMemorySyncSink alone = new InMemorySyncSink();
            applyAll(handler, sampleWebhookBody(), alone);
            expectedApply = alone.live();
            for (int i = 0; i < 3; i++) {
                calls.add(() -> {
                    InMemorySyncSink sink = new InMemorySyncSink();
                    applyAll(handler, sampleWebhookBody(), sink);
                    return sink.live();
                });
            }
        }
        if (provider != null) {
            // Slow answers make the calls overlap, so per-call state kept in fields shows.
            provider.delay(Duration.ofMillis(15));
        }
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<Map<InMemorySyncSink.Key, Object>>> futures = pool.invokeAll(calls, 2, TimeUnit.MINUTES);
            for (int i = 0; i < futures.size(); i++) {
                boolean isSync = sync && i < 3;
                String what = isSync ? "a full sync" : "applying the sample webhook";
                Map<InMemorySyncSink.Key, Object> state;
                try {
                    state = futures.get(i).get();
                } catch (ExecutionException e) {
                    throw new AssertionError(what + " of '" + id() + "' failed while other threads used the same "
                            + "connector instance: " + e.getCause(), e.getCause());
                }
                assertThat(state).as("%s of '%s' run on one instance from several threads at once must leave what it "
                        + "leaves alone (is per-run state kept in fields?)", what, id())
                        .isEqualTo(isSync ? expectedSync : expectedApply);
            }
        } finally {
            pool.shutdownNow();
            if (provider != null) {
                provider.reset();
            }
        }
    }

    /** {@code disconnect()} throws nothing but ConnectorException (also when called twice), and close() after it. */
    protected final void checkDisconnect() throws Exception {
        BookingConnector connector = newConnector();
        for (int i = 1; i <= 2; i++) {
            Throwable thrown = catchThrowable(connector::disconnect);
            if (thrown != null && !(thrown instanceof ConnectorException)) {
                throw new AssertionError("disconnect() of '" + id() + "' (call " + i + ") must revoke what it can and "
                        + "report failures as ConnectorException, but threw " + thrown, thrown);
            }
            if (thrown != null) {
                assertNoSecretIn("the disconnect error", thrown.getMessage());
            }
        }
        assertThat(catchThrowable(connector::close)).as("close() of '%s' after disconnect()", id()).isNull();
        for (String text : context().audit().allText()) {
            assertNoSecretIn("an audit row", text);
        }
    }

    /**
     * With a {@link #scriptedProvider()} that requires a credential header: every request of a full sync carried it
     * (none was answered 401), and the credential never appears in a URL (URLs end up in logs).
     */
    protected final void checkCredentialSent() throws Exception {
        BookingConnector connector = newConnector();
        if (!declares(Capability.FULL_SYNC)) {
            assertUnsupported(Capability.FULL_SYNC, "sync(FULL)",
                    () -> connector.sync(new SyncRequest("contract-full", SyncMode.FULL), new InMemorySyncSink()));
            return;
        }
        ScriptedProvider provider = scriptedProvider();
        assumeTrue(provider != null && provider.credentialHeaderName() != null,
                "the credential check needs a scriptedProvider() with a credential header");
        int logged = provider.requests().size();
        Throwable thrown = catchThrowable(() -> connector.sync(new SyncRequest("contract-credential", SyncMode.FULL),
                new InMemorySyncSink()));
        List<RecordedRequest> sent = provider.requests().subList(logged, provider.requests().size());
        assertThat(sent).as("a full sync of '%s' sent no request to the provider", id()).isNotEmpty();
        assertThat(sent).as("every request of '%s' must carry the credential header %s", id(),
                provider.credentialHeaderName()).allSatisfy(r -> assertThat(r.status()).as("%s", r).isNotEqualTo(401));
        assertThat(thrown).as("the full sync of '%s'", id()).isNull();
        for (RecordedRequest r : sent) {
            assertThat(r.query().toString().contains(provider.credentialValue())).as("%s of '%s' carries the "
                    + "credential in its URL", r, id()).isFalse();
        }
    }
}
