package io.bookinghub.connectors.zapier;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.toolkit.webhook.SignatureScheme;
import io.bookinghub.toolkit.webhook.WebhookSignatureVerifier;
import io.bookinghub.toolkit.webhook.WebhookVerifierConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Creates Zapier/Make inbound connectors: a zap (or Make scenario) posts JSON to the connection's own webhook
 * URL, {@code POST /connectors/zapier-inbound/webhook/{connectionId}}, authenticated with a shared secret, and
 * the connection's declarative {@code mapping} turns each posted object into a model record. See the module's
 * README for the configuration and the mapping language, {@link FieldSpec} and {@link RecordMapper} for the
 * rules.
 */
@Extension
public final class ZapierInboundConnectorFactory implements BookingConnectorFactory {
    /** Connector id, also the {@code connectorId} of every record it writes. */
    public static final String ID = "zapier-inbound";
    public static final String VERSION = "0.1.0";

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "Zapier / Make inbound",
            VERSION,
            "Receives appointments, clients or services pushed by a Zapier zap or Make scenario to this "
                    + "connection's webhook URL, authenticated with a shared secret (bearer token or HMAC), and maps "
                    + "the posted JSON to the hub's records with a declarative field mapping.",
            EnumSet.of(Capability.WEBHOOKS),
            List.of(
                    ConfigProperty.builder(ZapierConfig.AUTH_MODE, ConfigType.ENUM).perConnection().required()
                            .allowedValues("bearer", "hmac").defaultValue("bearer")
                            .description("bearer: 'Authorization: Bearer <sharedSecret>'; hmac: hmacHeader holds "
                                    + "sha256=<hex HMAC-SHA256 of the body>").build(),
                    ConfigProperty.builder(ZapierConfig.SHARED_SECRET, ConfigType.STRING).perConnection().required().secret()
                            .description("The shared secret the zap sends (at least "
                                    + ZapierConfig.MIN_SECRET_LENGTH + " characters)").build(),
                    ConfigProperty.builder(ZapierConfig.PREVIOUS_SHARED_SECRET, ConfigType.STRING).perConnection().secret()
                            .description("During rotation, the old secret, still accepted until removed").build(),
                    ConfigProperty.builder(ZapierConfig.HMAC_HEADER, ConfigType.STRING).perConnection().required()
                            .defaultValue(ZapierConfig.DEFAULT_HMAC_HEADER)
                            .description("In hmac mode, the header carrying sha256=<hex>").build(),
                    ConfigProperty.builder(ZapierConfig.RECORD_KIND, ConfigType.ENUM).perConnection().required()
                            .allowedValues(ZapierRecordKind.ids().toArray(String[]::new))
                            .defaultValue(ZapierRecordKind.APPOINTMENT.id())
                            .description("What each posted object is").build(),
                    ConfigProperty.builder(ZapierConfig.MAPPING, ConfigType.JSON).perConnection().required()
                            .description("Field mapping, e.g. {\"externalId\": \"/id\", \"start\": {\"pointer\": "
                                    + "\"/when\", \"format\": \"yyyy-MM-dd HH:mm\"}, \"durationMinutes\": "
                                    + "\"/minutes\"}; see the connector's README").build(),
                    ConfigProperty.builder(ZapierConfig.EVENT_ID_POINTER, ConfigType.STRING).perConnection()
                            .description("JSON Pointer to a per-change id used to drop repeated posts; without "
                                    + "it, identical bodies are dropped").build(),
                    ConfigProperty.builder(ZapierConfig.VERSION_POINTER, ConfigType.STRING).perConnection()
                            .description("JSON Pointer to an increasing record version; older posts are ignored")
                            .build(),
                    ConfigProperty.builder(ZapierConfig.UPDATED_AT_POINTER, ConfigType.STRING).perConnection()
                            .description("JSON Pointer to the record's ISO-8601 updated-at; older posts are "
                                    + "ignored").build(),
                    ConfigProperty.builder(ZapierConfig.ACCOUNT_ID, ConfigType.STRING).perConnection().required()
                            .defaultValue(ZapierConfig.DEFAULT_ACCOUNT_ID)
                            .description("A label for the sending account; give each connection of a business "
                                    + "its own").build()));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConnectorException INVALID_INPUT naming the field for a short secret, a bad header name or
     *         pointer, or a mapping that is not valid ({@code mapping.<field>})
     */
    @Override
    public BookingConnector create(ConnectorContext context) {
        requireNonNull(context, "context is null");
        ZapierConfig config = ZapierConfig.from(context.config());
        return new ZapierInboundConnector(DESCRIPTOR, new ZapierWebhookHandler(ID, config,
                verifier(config, context.config()), context.businessId(), context.businessTimeZone()));
    }

    /** Always empty: a zap posts to its connection's own URL, and a posted body names no account. */
    @Override
    public Optional<String> webhookAccountId(WebhookRequest request) {
        return Optional.empty();
    }

    private static WebhookSignatureVerifier verifier(ZapierConfig config, ConnectorConfig values) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(values.string(ZapierConfig.SHARED_SECRET));
        values.get(ZapierConfig.PREVIOUS_SHARED_SECRET).ifPresent(secrets::add);
        return switch (config.authMode()) {
            case BEARER -> new BearerTokenVerifier(secrets);
            // Errors name the property holding the bad secret, never its value.
            case HMAC -> WebhookVerifierConfig.builder(SignatureScheme.HEX_HMAC)
                    .secret(ZapierConfig.SHARED_SECRET, values.string(ZapierConfig.SHARED_SECRET))
                    .secret(ZapierConfig.PREVIOUS_SHARED_SECRET,
                            values.get(ZapierConfig.PREVIOUS_SHARED_SECRET).orElse(null))
                    .headerName(config.hmacHeader()).verifier();
        };
    }
}
