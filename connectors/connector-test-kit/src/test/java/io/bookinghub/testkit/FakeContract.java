package io.bookinghub.testkit;

import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.RecordKind;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.toolkit.webhook.HexHmacVerifier;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract wired to the fake connector with chosen capabilities and defects. Not named *Test: the
 * defective variants are run check by check from {@link BrokenConnectorsTest}, never by Surefire.
 */
class FakeContract extends ConnectorContractTest {
    static final String API_KEY = "ak-fake-very-secret";
    static final String WEBHOOK_SECRET = "wh-fake-very-secret";

    private final Set<Capability> capabilities;
    private final Set<FakeConnectorFactory.Defect> defects;
    FakeProvider provider;

    FakeContract(Set<Capability> capabilities, Set<FakeConnectorFactory.Defect> defects) {
        this.capabilities = capabilities;
        this.defects = defects;
    }

    static final Set<Capability> SYNC_AND_WEBHOOKS = EnumSet.of(Capability.API_KEY_AUTH, Capability.FULL_SYNC,
            Capability.INCREMENTAL_SYNC, Capability.WEBHOOKS);

    /** The sync-and-webhooks fake with one defect. */
    static FakeContract with(FakeConnectorFactory.Defect defect) {
        return new FakeContract(SYNC_AND_WEBHOOKS, EnumSet.of(defect));
    }

    @Override
    protected void setUpProvider() {
        provider = new FakeProvider();
    }

    @Override
    protected BookingConnectorFactory factory() {
        return new FakeConnectorFactory(capabilities, defects, provider);
    }

    @Override
    protected Map<String, Object> validConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("accountId", "acct-1");
        config.put("apiKey", API_KEY);
        config.put("webhookSecret", WEBHOOK_SECRET);
        config.put("options", "{\"x\":1}");
        return config;
    }

    @Override
    protected Set<String> secretPropertyNames() {
        return Set.of("apiKey", "webhookSecret");
    }

    @Override
    protected ChangedRecord changeOneRecordAtProvider() {
        provider.renameClient("c-2", "Jan Kowalski-Nowak", context().clock().instant());
        return new ChangedRecord(RecordKind.CLIENT, "c-2");
    }

    @Override
    protected byte[] sampleWebhookBody() {
        return "{\"type\":\"client.updated\",\"client\":\"c-1\"}".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected WebhookRequest signedWebhook(byte[] body) {
        return new WebhookRequest(body, Map.of(HexHmacVerifier.DEFAULT_HEADER,
                List.of(WebhookSigner.hexHmacHeader(WEBHOOK_SECRET, body))));
    }

    @Override
    protected Map<RecordKind, Integer> expectedRecordCounts() {
        return Map.of(RecordKind.CLIENT, 2, RecordKind.APPOINTMENT, 2);
    }

    @Override
    protected List<ExpectedAppointment> expectedAppointments() {
        return List.of(new ExpectedAppointment("a-1", AppointmentStatus.BOOKED, Instant.parse("2026-03-28T09:00:00Z"),
                        Instant.parse("2026-03-28T09:30:00Z")),
                new ExpectedAppointment("a-2", AppointmentStatus.CONFIRMED, Instant.parse("2026-03-29T09:00:00Z"),
                        Instant.parse("2026-03-29T09:45:00Z")));
    }

    /** The fake's events carry only a client id: apply() reads the client from the provider, so order cannot matter. */
    @Override
    protected OutOfOrderWebhooks outOfOrderWebhooks() {
        return null;
    }

    /** The fake's events name no account: they would arrive on per-connection URLs. */
    @Override
    protected boolean webhooksRoutedByAccount() {
        return false;
    }

    @Override
    protected void makeProviderFail(int status) {
        provider.failWith(status);
    }
}
