package io.bookinghub.connectors.example;

import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.toolkit.json.Json;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

@Extension
public final class ExampleConnectorFactory implements BookingConnectorFactory {
    /** The connector id: equal to plugin.id, and the connectorId of every record it writes. */
    static final String ID = "example";
    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(ID, "Example provider", "1.0.0",
            "Services, staff and bookings of an Example account, synced and kept current by its webhooks.",
            EnumSet.of(Capability.API_KEY_AUTH, Capability.FULL_SYNC, Capability.INCREMENTAL_SYNC, Capability.WEBHOOKS),
            List.of(
                    ConfigProperty.builder("baseUrl", ConfigType.URL).required().endpoint()
                            .defaultValue("https://api.example.com").description("Example API base URL").build(),
                    ConfigProperty.builder("apiKey", ConfigType.STRING).perConnection().required().secret()
                            .description("The salon's API key").build(),
                    ConfigProperty.builder("webhookSecret", ConfigType.STRING).perConnection().required().secret()
                            .description("The secret the provider signs this salon's webhooks with").build(),
                    ConfigProperty.builder("accountId", ConfigType.STRING).perConnection().required()
                            .description("The salon's account id (account_id in its webhooks)").build()));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public BookingConnector create(ConnectorContext context) {
        return new ExampleConnector(context);
    }

    /** Every salon's webhooks arrive at one URL: the account in the (not yet verified) body picks the connection. */
    @Override
    public Optional<String> webhookAccountId(WebhookRequest request) {
        return Json.parseContainer(request.bodyAsString()).flatMap(body -> Json.optionalText(body, "account_id"));
    }
}
