package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.toolkit.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed view of a Booksy connection's configuration, with the cross-field rules the generic
 * metadata cannot express. Holds secrets, so it deliberately has no {@code toString()} listing values.
 */
public final class BooksyConfig {
    /** Config property names. */
    public static final String API_BASE_URL = "apiBaseUrl";
    public static final String AUTH_MODE = "authMode";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String CLIENT_AUTHENTICATION = "clientAuthentication";
    /** {@link #CLIENT_AUTHENTICATION}: HTTP Basic with client id and secret. */
    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    /** {@link #CLIENT_AUTHENTICATION}: client id and secret in the form body. */
    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String REDIRECT_URI = "redirectUri";
    public static final String SCOPES = "scopes";
    public static final String API_KEY = "apiKey";
    public static final String API_KEY_HEADER = "apiKeyHeader";
    public static final String BUSINESS_ID = "businessId";
    public static final String LOCATION_ID = "locationId";
    public static final String AUTHORIZATION_URL = "authorizationUrl";
    public static final String TOKEN_URL = "tokenUrl";
    public static final String REVOCATION_URL = "revocationUrl";
    public static final String BUSINESSES_PATH = "businessesPath";
    public static final String STAFF_PATH = "staffPath";
    public static final String SERVICES_PATH = "servicesPath";
    public static final String CLIENTS_PATH = "clientsPath";
    public static final String APPOINTMENTS_PATH = "appointmentsPath";
    public static final String AVAILABILITY_PATH = "availabilityPath";
    public static final String UPDATED_SINCE_PARAM = "updatedSinceParam";
    public static final String PAGE_SIZE = "pageSize";
    public static final String AVAILABILITY_DAYS = "availabilityDays";
    public static final String MAX_CONCURRENT_REQUESTS = "maxConcurrentRequests";
    public static final String STATUS_MAPPING = "statusMapping";
    public static final String RATE_LIMIT_PER_SECOND = "rateLimitPerSecond";
    public static final String RATE_LIMIT_BURST = "rateLimitBurst";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String BACKOFF_BASE = "backoffBase";
    public static final String BACKOFF_CAP = "backoffCap";
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    public static final String REQUEST_TIMEOUT = "requestTimeout";
    public static final String TOKEN_REFRESH_SKEW = "tokenRefreshSkew";
    public static final String DEBUG = "debug";
    public static final String WEBHOOK_SCHEME = "webhookScheme";
    public static final String WEBHOOK_SECRET = "webhookSecret";
    public static final String WEBHOOK_SECRET_PREVIOUS = "webhookSecretPrevious";
    public static final String WEBHOOK_SIGNATURE_HEADER = "webhookSignatureHeader";
    public static final String WEBHOOK_TOLERANCE = "webhookTolerance";
    public static final String APPOINTMENT_PATH = "appointmentPath";
    /** Two-way booking (WRITE_BACK): where writes go and how they are made safe to repeat. */
    public static final String CREATE_APPOINTMENT_PATH = "createAppointmentPath";
    public static final String RESCHEDULE_APPOINTMENT_PATH = "rescheduleAppointmentPath";
    public static final String CANCEL_APPOINTMENT_PATH = "cancelAppointmentPath";
    public static final String IDEMPOTENCY_KEY_HEADER = "idempotencyKeyHeader";
    public static final String CLIENT_REFERENCE_FIELD = "clientReferenceField";
    /** Placeholder for the record id in {@link #APPOINTMENT_PATH}. */
    public static final String ID_PLACEHOLDER = "{id}";

    /** How the connector authenticates API calls. */
    public enum AuthMode {
        OAUTH("oauth"), API_KEY("api-key");

        private final String value;

        AuthMode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static AuthMode parse(String text) {
            for (AuthMode m : values()) {
                if (m.value.equals(text)) {
                    return m;
                }
            }
            throw new ConnectorException(ErrorCode.INVALID_INPUT, AUTH_MODE + ": must be oauth or api-key");
        }
    }

    /** RFC 9110 token: what a header name may be (no CR, LF, colon or space). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /** A JSON field and query parameter name. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final double MIN_RATE = 0.01;
    private static final double MAX_RATE = 1000;
    private static final Duration MAX_TOLERANCE = Duration.ofHours(1);

    private final ConnectorConfig raw;
    private final URI apiBaseUrl;
    private final AuthMode authMode;
    private final int pageSize;
    private final int availabilityDays;
    private final int maxConcurrentRequests;
    private final Map<String, String> statusMapping;
    private final double rateLimitPerSecond;
    private final int rateLimitBurst;
    private final int maxAttempts;

    private BooksyConfig(ConnectorConfig raw) {
        this.raw = raw;
        this.apiBaseUrl = raw.url(API_BASE_URL);
        this.authMode = AuthMode.parse(raw.string(AUTH_MODE));
        this.pageSize = positiveInt(PAGE_SIZE, 500);
        this.availabilityDays = positiveInt(AVAILABILITY_DAYS, 366);
        this.maxConcurrentRequests = positiveInt(MAX_CONCURRENT_REQUESTS, 32);
        this.rateLimitPerSecond = decimalBetween(RATE_LIMIT_PER_SECOND, MIN_RATE, MAX_RATE);
        this.rateLimitBurst = positiveInt(RATE_LIMIT_BURST, 100_000);
        this.maxAttempts = positiveInt(MAX_ATTEMPTS, 20);
        for (String path : new String[] {BUSINESSES_PATH, STAFF_PATH, SERVICES_PATH, CLIENTS_PATH,
                APPOINTMENTS_PATH, AVAILABILITY_PATH}) {
            if (!raw.string(path).startsWith("/")) {
                throw invalid(path, "must start with /");
            }
        }
        for (String endpoint : new String[] {AUTHORIZATION_URL, TOKEN_URL, REVOCATION_URL}) {
            endpointUrl(endpoint);
        }
        if (backoffBase().isZero() || backoffCap().compareTo(backoffBase()) < 0) {
            throw invalid(BACKOFF_CAP, "must be at least backoffBase, and backoffBase must be positive");
        }
        for (String timeout : new String[] {CONNECT_TIMEOUT, REQUEST_TIMEOUT}) {
            if (raw.duration(timeout).isZero()) {
                throw invalid(timeout, "must be positive");
            }
        }
        this.statusMapping = parseStatusMapping(raw.get(STATUS_MAPPING).orElse(null));
        for (String pattern : new String[] {APPOINTMENT_PATH, RESCHEDULE_APPOINTMENT_PATH, CANCEL_APPOINTMENT_PATH}) {
            String path = raw.string(pattern);
            if (!path.startsWith("/") || !path.contains(ID_PLACEHOLDER)) {
                throw invalid(pattern, "must start with / and contain " + ID_PLACEHOLDER);
            }
        }
        if (!raw.string(CREATE_APPOINTMENT_PATH).startsWith("/")) {
            throw invalid(CREATE_APPOINTMENT_PATH, "must start with /");
        }
        if (!FIELD_NAME.matcher(raw.string(CLIENT_REFERENCE_FIELD)).matches()) {
            throw invalid(CLIENT_REFERENCE_FIELD, "must be a field name (letters, digits, _ and -)");
        }
        if (raw.duration(WEBHOOK_TOLERANCE).isNegative() || raw.duration(WEBHOOK_TOLERANCE).compareTo(MAX_TOLERANCE) > 0) {
            throw invalid(WEBHOOK_TOLERANCE, "must be between PT0S and " + MAX_TOLERANCE
                    + " (a longer window lets a captured webhook be replayed)");
        }
        for (String header : new String[] {API_KEY_HEADER, WEBHOOK_SIGNATURE_HEADER, IDEMPOTENCY_KEY_HEADER}) {
            raw.get(header).filter(h -> !h.isBlank() && !HEADER_NAME.matcher(h).matches()).ifPresent(h -> {
                throw invalid(header, "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
            });
        }
        // Last: the values above are checked one by one, so a settings change naming one of them is judged on
        // it even while the credentials that depend on each other are still incomplete.
        if (authMode == AuthMode.OAUTH) {
            requirePresent(CLIENT_ID, "is required when authMode is oauth");
            requirePresent(CLIENT_SECRET, "is required when authMode is oauth");
            requirePresent(REDIRECT_URI, "is required when authMode is oauth");
        } else {
            requirePresent(API_KEY, "is required when authMode is api-key");
        }
    }

    /**
     * Builds the typed view and checks cross-field rules.
     *
     * @throws ConnectorException INVALID_INPUT naming the offending field
     */
    public static BooksyConfig from(ConnectorConfig config) {
        return new BooksyConfig(requireNonNull(config, "config is null"));
    }

    private void requirePresent(String name, String why) {
        if (raw.get(name).map(String::isBlank).orElse(true)) {
            throw invalid(name, why);
        }
    }

    private int positiveInt(String name, int max) {
        long value = raw.integer(name);
        if (value < 1 || value > max) {
            throw invalid(name, "must be between 1 and " + max);
        }
        return (int) value;
    }

    private double decimalBetween(String name, double min, double max) {
        double value = raw.decimal(name).doubleValue();
        if (!(value >= min && value <= max)) {
            throw invalid(name, "must be between " + min + " and " + max);
        }
        return value;
    }

    private static ConnectorException invalid(String field, String message) {
        return new ConnectorException(ErrorCode.INVALID_INPUT, field + ": " + message);
    }

    private static Map<String, String> parseStatusMapping(String json) {
        Map<String, String> table = new LinkedHashMap<>(BooksyMapper.DEFAULT_STATUS_MAPPING);
        if (json == null || json.isBlank()) {
            return Collections.unmodifiableMap(table);
        }
        JsonNode node = Json.parseContainer(json).filter(JsonNode::isObject)
                .orElseThrow(() -> invalid(STATUS_MAPPING, "must be a JSON object"));
        var fields = node.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            String target = entry.getValue().asText("").toUpperCase(Locale.ROOT);
            if (!entry.getValue().isTextual() || !BooksyMapper.isStatusTarget(target)) {
                throw invalid(STATUS_MAPPING, "value for '" + entry.getKey()
                        + "' must be one of " + BooksyMapper.STATUS_TARGETS);
            }
            table.put(entry.getKey().toLowerCase(Locale.ROOT), target);
        }
        return Collections.unmodifiableMap(table);
    }

    public ConnectorConfig raw() {
        return raw;
    }

    public URI apiBaseUrl() {
        return apiBaseUrl;
    }

    /**
     * An OAuth endpoint ({@link #AUTHORIZATION_URL}, {@link #TOKEN_URL}, {@link #REVOCATION_URL}): absolute
     * as configured, or a path joined to the API base URL.
     */
    public String endpointUrl(String name) {
        String value = raw.string(name).trim();
        if (value.startsWith("/")) {
            return url(value);
        }
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(name, "must be an absolute http(s) URL or a path starting with /");
    }

    /** True for client_secret_post: client credentials go in the token request's form body. */
    public boolean clientSecretPost() {
        return CLIENT_SECRET_POST.equals(raw.string(CLIENT_AUTHENTICATION));
    }

    /** Base URL joined with a path, without doubling the slash. */
    public String url(String path) {
        String base = apiBaseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    public AuthMode authMode() {
        return authMode;
    }

    public String clientId() {
        return raw.string(CLIENT_ID);
    }

    public String clientSecret() {
        return raw.string(CLIENT_SECRET);
    }

    public String redirectUri() {
        return raw.string(REDIRECT_URI);
    }

    public Optional<String> scopes() {
        return raw.get(SCOPES).filter(s -> !s.isBlank());
    }

    public String apiKey() {
        return raw.string(API_KEY);
    }

    public String apiKeyHeader() {
        return raw.string(API_KEY_HEADER);
    }

    /** The configured Booksy business; empty when the connection takes it from the authorization grant. */
    public Optional<String> businessId() {
        return raw.get(BUSINESS_ID).map(String::trim).filter(s -> !s.isBlank());
    }

    public Optional<String> locationId() {
        return raw.get(LOCATION_ID).filter(s -> !s.isBlank());
    }

    public String path(String name) {
        return raw.string(name);
    }

    public String updatedSinceParam() {
        return raw.string(UPDATED_SINCE_PARAM);
    }

    public int pageSize() {
        return pageSize;
    }

    public int availabilityDays() {
        return availabilityDays;
    }

    /** How many list pages a sync may have requested (in flight or waiting for its rate permit) at once. */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** Booksy status (lower case) to an AppointmentStatus name, or {@code CANCELLED} (resolved by cancelled_by). */
    public Map<String, String> statusMapping() {
        return statusMapping;
    }

    public double rateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    public int rateLimitBurst() {
        return rateLimitBurst;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration backoffBase() {
        return raw.duration(BACKOFF_BASE);
    }

    public Duration backoffCap() {
        return raw.duration(BACKOFF_CAP);
    }

    public Duration connectTimeout() {
        return raw.duration(CONNECT_TIMEOUT);
    }

    public Duration requestTimeout() {
        return raw.duration(REQUEST_TIMEOUT);
    }

    public Duration tokenRefreshSkew() {
        return raw.duration(TOKEN_REFRESH_SKEW);
    }

    public boolean debug() {
        return raw.bool(DEBUG);
    }

    /** Path of one appointment, with {@link #ID_PLACEHOLDER} still in it. */
    public String appointmentPathPattern() {
        return raw.string(APPOINTMENT_PATH);
    }

    /** A path pattern ({@link #APPOINTMENT_PATH}, ...) with the record id filled in, URL-encoded. */
    public String pathFor(String pattern, String id) {
        return raw.string(pattern).replace(ID_PLACEHOLDER,
                URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** Header the provider idempotency key travels in; empty sends none (the hub then relies on lookups). */
    public Optional<String> idempotencyKeyHeader() {
        return raw.get(IDEMPOTENCY_KEY_HEADER).filter(s -> !s.isBlank());
    }

    /** Field of a booking (and query parameter of the appointments list) carrying the hub's client reference. */
    public String clientReferenceField() {
        return raw.string(CLIENT_REFERENCE_FIELD);
    }

    /** One of {@link io.bookinghub.toolkit.webhook.SignatureScheme#configNames()}. */
    public String webhookScheme() {
        return raw.string(WEBHOOK_SCHEME);
    }

    /** The current webhook secret, if configured. */
    public Optional<String> webhookSecret() {
        return raw.get(WEBHOOK_SECRET).filter(s -> !s.isBlank());
    }

    /** The secret being rotated out, accepted alongside the current one while set. */
    public Optional<String> webhookSecretPrevious() {
        return raw.get(WEBHOOK_SECRET_PREVIOUS).filter(s -> !s.isBlank());
    }

    /** Signature header for the hmac schemes; empty means the scheme's default. */
    public Optional<String> webhookSignatureHeader() {
        return raw.get(WEBHOOK_SIGNATURE_HEADER).filter(s -> !s.isBlank());
    }

    public Duration webhookTolerance() {
        return raw.duration(WEBHOOK_TOLERANCE);
    }
}
