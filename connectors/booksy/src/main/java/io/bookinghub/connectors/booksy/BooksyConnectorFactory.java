package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.webhook.WebhookRequest;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Creates Booksy connectors. Every value the (undocumented) Booksy API may need adjusted is a
 * configuration property with the assumed default, so a wrong assumption is fixed without a release.
 */
@Extension
public final class BooksyConnectorFactory implements BookingConnectorFactory {
    /** Connector id, also the {@code connectorId} of every {@link io.bookinghub.model.ExternalRef} it writes. */
    public static final String ID = "booksy";
    /** Connector version reported in the descriptor. */
    public static final String VERSION = "0.1.0";

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "Booksy",
            VERSION,
            "Reads a Booksy business (locations, staff, services, clients, appointments, availability) "
                    + "through OAuth 2.0 with PKCE or an API key, applies its signed webhooks, and books, moves and "
                    + "cancels appointments in its calendar.",
            EnumSet.of(Capability.OAUTH_CONNECT, Capability.API_KEY_AUTH, Capability.FULL_SYNC,
                    Capability.INCREMENTAL_SYNC, Capability.AVAILABILITY, Capability.WEBHOOKS, Capability.WRITE_BACK),
            configProperties());

    private static final ObjectMapper WEBHOOK_JSON = new ObjectMapper();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.bookinghub.spi.ConnectorException INVALID_INPUT naming the field when a cross-field
     *         rule fails (oauth mode needs clientId, clientSecret and redirectUri; api-key mode needs apiKey)
     */
    @Override
    public BookingConnector create(ConnectorContext context) {
        requireNonNull(context, "context is null");
        BooksyConfig config = BooksyConfig.from(context.config());
        return new BooksyConnector(DESCRIPTOR, context, config);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Booksy events name their business in {@code business_id} (a string, or a number); the body is
     * read leniently and anything unexpected yields empty.
     */
    @Override
    public Optional<String> webhookAccountId(WebhookRequest request) {
        if (request == null) {
            return Optional.empty();
        }
        try {
            JsonNode root = WEBHOOK_JSON.readTree(request.body());
            return root != null && root.isObject()
                    ? Optional.ofNullable(BooksyWebhookHandler.scalarId(root.get("business_id")))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // Scopes: what the salon owns (which Booksy business, filters, mapping, its own API key) is per connection;
    // everything that decides how and where the hub talks to Booksy is the operator's integration.
    private static List<ConfigProperty> configProperties() {
        return List.of(
                ConfigProperty.builder(BooksyConfig.API_BASE_URL, ConfigType.URL).required()
                        .defaultValue("https://api.booksy.com").env("BOOKSY_API_BASE_URL").endpoint()
                        .description("Booksy API base URL (API paths, and OAuth endpoints given as paths, are "
                                + "relative to it)").build(),
                ConfigProperty.builder(BooksyConfig.AUTH_MODE, ConfigType.ENUM).required()
                        .allowedValues("oauth", "api-key").defaultValue("oauth")
                        .description("How API calls authenticate: OAuth 2.0 tokens or a static API key").build(),
                ConfigProperty.builder(BooksyConfig.CLIENT_ID, ConfigType.STRING).env("BOOKSY_CLIENT_ID").endpoint()
                        .description("OAuth client id of the hub's Booksy app (oauth mode)").build(),
                ConfigProperty.builder(BooksyConfig.CLIENT_SECRET, ConfigType.STRING).secret()
                        .env("BOOKSY_CLIENT_SECRET").description("OAuth client secret (oauth mode)").build(),
                ConfigProperty.builder(BooksyConfig.CLIENT_AUTHENTICATION, ConfigType.ENUM).required()
                        .allowedValues(BooksyConfig.CLIENT_SECRET_BASIC, BooksyConfig.CLIENT_SECRET_POST)
                        .defaultValue(BooksyConfig.CLIENT_SECRET_BASIC)
                        .description("How the client authenticates at the token endpoint (RFC 6749 2.3.1)").build(),
                ConfigProperty.builder(BooksyConfig.REDIRECT_URI, ConfigType.URL).env("BOOKSY_REDIRECT_URI")
                        .description("OAuth redirect URI registered with Booksy, sent exactly as configured").build(),
                ConfigProperty.builder(BooksyConfig.SCOPES, ConfigType.STRING)
                        .description("OAuth scopes, space separated; empty sends none").build(),
                ConfigProperty.builder(BooksyConfig.API_KEY, ConfigType.STRING).secret().perConnection()
                        .description("The business's static API key (api-key mode)").build(),
                ConfigProperty.builder(BooksyConfig.API_KEY_HEADER, ConfigType.STRING).required()
                        .defaultValue("X-Api-Key").description("Header that carries the API key").build(),
                ConfigProperty.builder(BooksyConfig.BUSINESS_ID, ConfigType.STRING).perConnection()
                        .description("Booksy business id to read; when empty, the one business the "
                                + "authorization grants").build(),
                ConfigProperty.builder(BooksyConfig.LOCATION_ID, ConfigType.STRING).perConnection()
                        .description("Restrict reads to one Booksy location (optional)").build(),
                endpoint(BooksyConfig.AUTHORIZATION_URL, "/oauth/authorize",
                        "OAuth authorization endpoint: an absolute URL (the authorization server may be another "
                                + "host) or a path on apiBaseUrl"),
                endpoint(BooksyConfig.TOKEN_URL, "/oauth/token", "OAuth token endpoint: absolute URL or path"),
                endpoint(BooksyConfig.REVOCATION_URL, "/oauth/revoke",
                        "OAuth token revocation endpoint (RFC 7009): absolute URL or path"),
                endpoint(BooksyConfig.BUSINESSES_PATH, "/api/v1/businesses", "Businesses list path"),
                endpoint(BooksyConfig.STAFF_PATH, "/api/v1/staff", "Staff list path"),
                endpoint(BooksyConfig.SERVICES_PATH, "/api/v1/services", "Services list path"),
                endpoint(BooksyConfig.CLIENTS_PATH, "/api/v1/clients", "Clients list path"),
                endpoint(BooksyConfig.APPOINTMENTS_PATH, "/api/v1/appointments", "Appointments list path"),
                endpoint(BooksyConfig.AVAILABILITY_PATH, "/api/v1/availability", "Availability list path"),
                endpoint(BooksyConfig.APPOINTMENT_PATH, "/api/v1/appointments/{id}",
                        "One appointment, {id} replaced by its id; read when a webhook carries only the id"),
                endpoint(BooksyConfig.CREATE_APPOINTMENT_PATH, "/api/v1/appointments",
                        "Books an appointment (POST)"),
                endpoint(BooksyConfig.RESCHEDULE_APPOINTMENT_PATH, "/api/v1/appointments/{id}",
                        "Moves an appointment (PATCH), {id} replaced by its id"),
                endpoint(BooksyConfig.CANCEL_APPOINTMENT_PATH, "/api/v1/appointments/{id}/cancel",
                        "Cancels an appointment (POST), {id} replaced by its id"),
                ConfigProperty.builder(BooksyConfig.IDEMPOTENCY_KEY_HEADER, ConfigType.STRING)
                        .defaultValue("Idempotency-Key").description("Header carrying the hub's idempotency key on "
                                + "writes; empty sends none (the hub then relies on looking bookings up)").build(),
                ConfigProperty.builder(BooksyConfig.CLIENT_REFERENCE_FIELD, ConfigType.STRING).required()
                        .defaultValue("external_reference").description("Booking field, and appointments-list filter, "
                                + "carrying the hub's reference of the command that made it").build(),
                ConfigProperty.builder(BooksyConfig.UPDATED_SINCE_PARAM, ConfigType.STRING).required()
                        .defaultValue("updated_since").description("Query parameter for incremental reads").build(),
                ConfigProperty.builder(BooksyConfig.PAGE_SIZE, ConfigType.INTEGER).required().defaultValue("100")
                        .description("Records per page (per_page), 1-500").build(),
                ConfigProperty.builder(BooksyConfig.MAX_CONCURRENT_REQUESTS, ConfigType.INTEGER).required()
                        .defaultValue("8").description("Pages a sync requests concurrently, 1-32, always within the "
                                + "rate limit: enough to keep the rate limit busy while responses take their time; "
                                + "1 reads one page at a time").build(),
                ConfigProperty.builder(BooksyConfig.AVAILABILITY_DAYS, ConfigType.INTEGER).required()
                        .defaultValue("14").perConnection().description("Days of availability to read, from today")
                        .build(),
                ConfigProperty.builder(BooksyConfig.STATUS_MAPPING, ConfigType.JSON).perConnection()
                        .description("JSON object overriding the Booksy status table, e.g. {\"waiting\":\"BOOKED\"}; "
                                + "CANCELLED means 'by client or business, from cancelled_by'").build(),
                ConfigProperty.builder(BooksyConfig.RATE_LIMIT_PER_SECOND, ConfigType.DECIMAL).required()
                        .defaultValue("10").description("Sustained API requests per second").build(),
                ConfigProperty.builder(BooksyConfig.RATE_LIMIT_BURST, ConfigType.INTEGER).required()
                        .defaultValue("50").description("Requests allowed at once after an idle period").build(),
                ConfigProperty.builder(BooksyConfig.MAX_ATTEMPTS, ConfigType.INTEGER).required().defaultValue("5")
                        .description("Attempts per idempotent request, including the first").build(),
                duration(BooksyConfig.BACKOFF_BASE, "PT0.5S", "First retry's maximum backoff (full jitter)"),
                duration(BooksyConfig.BACKOFF_CAP, "PT30S", "Maximum backoff between retries"),
                duration(BooksyConfig.CONNECT_TIMEOUT, "PT5S", "TCP connect timeout"),
                duration(BooksyConfig.REQUEST_TIMEOUT, "PT30S", "Per-request timeout"),
                duration(BooksyConfig.TOKEN_REFRESH_SKEW, "PT60S", "Refresh access tokens this long before expiry"),
                ConfigProperty.builder(BooksyConfig.DEBUG, ConfigType.BOOLEAN).required().defaultValue("false")
                        .description("Log requests and responses (secrets redacted)").build(),
                ConfigProperty.builder(BooksyConfig.WEBHOOK_SCHEME, ConfigType.ENUM).required()
                        .allowedValues("standard-webhooks", "hex-hmac", "timestamped-hmac")
                        .defaultValue("standard-webhooks").description("Webhook signature scheme").build(),
                ConfigProperty.builder(BooksyConfig.WEBHOOK_SECRET, ConfigType.STRING).secret()
                        .env("BOOKSY_WEBHOOK_SECRET").description("Webhook signing secret of the hub's Booksy app")
                        .build(),
                ConfigProperty.builder(BooksyConfig.WEBHOOK_SECRET_PREVIOUS, ConfigType.STRING).secret()
                        .description("Previous webhook secret, accepted during rotation").build(),
                ConfigProperty.builder(BooksyConfig.WEBHOOK_SIGNATURE_HEADER, ConfigType.STRING)
                        .description("Signature header for the hmac schemes (scheme default when empty)").build(),
                duration(BooksyConfig.WEBHOOK_TOLERANCE, "PT5M", "Accepted webhook timestamp skew"));
    }

    private static ConfigProperty endpoint(String name, String defaultValue, String description) {
        return ConfigProperty.builder(name, ConfigType.STRING).required().defaultValue(defaultValue).endpoint()
                .description(description).build();
    }

    private static ConfigProperty duration(String name, String defaultValue, String description) {
        return ConfigProperty.builder(name, ConfigType.DURATION).required().defaultValue(defaultValue)
                .description(description).build();
    }
}
