package io.bookinghub.testkit;

import io.bookinghub.model.Appointment;
import io.bookinghub.model.AppointmentSegment;
import io.bookinghub.model.AppointmentStatus;
import io.bookinghub.model.Client;
import io.bookinghub.model.ExternalRef;
import io.bookinghub.model.Money;
import io.bookinghub.model.ProviderVersion;
import io.bookinghub.spi.BookingConnector;
import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigProperty;
import io.bookinghub.spi.ConfigType;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.ConnectorDescriptor;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.fileimport.FileImporter;
import io.bookinghub.spi.sync.RecordSink;
import io.bookinghub.spi.sync.SyncMode;
import io.bookinghub.spi.sync.SyncRequest;
import io.bookinghub.spi.sync.SyncResult;
import io.bookinghub.spi.sync.SyncSink;
import io.bookinghub.spi.webhook.WebhookEvent;
import io.bookinghub.spi.webhook.WebhookHandler;
import io.bookinghub.spi.webhook.WebhookRequest;
import io.bookinghub.spi.webhook.WebhookVerificationException;
import io.bookinghub.toolkit.webhook.HexHmacVerifier;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A tiny connector over {@link FakeProvider}, with switchable defects to prove each kit check bites. */
final class FakeConnectorFactory implements BookingConnectorFactory {
    static final String ID = "fake";

    enum Defect {
        /** apiKey is not flagged secret. */
        SECRET_NOT_FLAGGED,
        /** rawJson carries the clock's time, so every sync rewrites every record. */
        UNSTABLE_RAW_JSON,
        /** Incremental sync reads nothing. */
        INCREMENTAL_MISSES_CHANGES,
        /** Webhook verification accepts anything. */
        ACCEPTS_ANY_SIGNATURE,
        /** Every appointment gets the same external id. */
        DUPLICATE_IDS,
        /** External refs carry another connector's id. */
        WRONG_CONNECTOR_ID,
        /** Every provider failure becomes PROVIDER_ERROR. */
        WRONG_ERROR_CODES,
        /** Provider failures escape as an unchecked IO exception. */
        RAW_EXCEPTIONS,
        /** fileImport() throws IllegalStateException instead of UNSUPPORTED. */
        UNCLEAR_UNSUPPORTED
    }

    private static final Pattern EVENT = Pattern.compile("\"type\":\"([a-z.]+)\",\"client\":\"([a-z0-9-]+)\"");

    private final Set<Capability> capabilities;
    private final Set<Defect> defects;
    private final FakeProvider provider;
    private final ConnectorDescriptor descriptor;

    FakeConnectorFactory(Set<Capability> capabilities, Set<Defect> defects, FakeProvider provider) {
        this.capabilities = capabilities;
        this.defects = defects.isEmpty() ? EnumSet.noneOf(Defect.class) : EnumSet.copyOf(defects);
        this.provider = provider;
        ConfigProperty.Builder apiKey = ConfigProperty.builder("apiKey", ConfigType.STRING).required()
                .description("API key");
        if (!defects.contains(Defect.SECRET_NOT_FLAGGED)) {
            apiKey.secret();
        }
        this.descriptor = new ConnectorDescriptor(ID, "Fake", "1.0.0", "A fake provider for the kit's own tests.",
                capabilities, List.of(
                        ConfigProperty.builder("accountId", ConfigType.STRING).required()
                                .description("Provider account").build(),
                        apiKey.build(),
                        ConfigProperty.builder("webhookSecret", ConfigType.STRING).secret()
                                .description("Webhook signing secret").build(),
                        ConfigProperty.builder("pageSize", ConfigType.INTEGER).required().defaultValue("50")
                                .description("Records per page").build(),
                        ConfigProperty.builder("options", ConfigType.JSON).description("Extra options").build()));
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public BookingConnector create(ConnectorContext context) {
        String options = context.config().get("options").orElse("{}").trim();
        if (!(options.startsWith("{") && options.endsWith("}"))) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "options: must be a JSON object");
        }
        return new FakeConnector(context);
    }

    private final class FakeConnector implements BookingConnector {
        private final ConnectorContext context;

        FakeConnector(ConnectorContext context) {
            this.context = context;
        }

        @Override
        public ConnectorDescriptor descriptor() {
            return descriptor;
        }

        private String connectorId() {
            return defects.contains(Defect.WRONG_CONNECTOR_ID) ? "other" : ID;
        }

        private String raw(String id) {
            return defects.contains(Defect.UNSTABLE_RAW_JSON)
                    ? "{\"id\":\"" + id + "\",\"fetchedAt\":\"" + context.clock().instant() + "\"}" : null;
        }

        @Override
        public SyncResult sync(SyncRequest request, SyncSink sink) {
            if (!capabilities.contains(Capability.FULL_SYNC)) {
                throw ConnectorException.unsupported(ID, Capability.FULL_SYNC);
            }
            if (request.mode() == SyncMode.INCREMENTAL && !capabilities.contains(Capability.INCREMENTAL_SYNC)) {
                throw ConnectorException.unsupported(ID, Capability.INCREMENTAL_SYNC);
            }
            Instant since = request.mode() == SyncMode.FULL ? Instant.EPOCH
                    : sink.cursor("changes").map(Instant::parse).orElse(Instant.EPOCH);
            if (request.mode() == SyncMode.INCREMENTAL && defects.contains(Defect.INCREMENTAL_MISSES_CHANGES)) {
                since = Instant.MAX;
            }
            Instant watermark = since;
            try {
                for (FakeProvider.FakeClient c : provider.clients()) {
                    if (sink.cancelled()) {
                        return SyncResult.partial("cancelled");
                    }
                    if (c.updatedAt().isAfter(since)) {
                        sink.upsert(client(c));
                    }
                    watermark = max(watermark, c.updatedAt());
                }
                for (FakeProvider.FakeAppointment a : provider.appointments()) {
                    if (sink.cancelled()) {
                        return SyncResult.partial("cancelled");
                    }
                    if (a.updatedAt().isAfter(since)) {
                        String id = defects.contains(Defect.DUPLICATE_IDS) ? "same" : a.id();
                        sink.upsert(new Appointment(new ExternalRef(connectorId(), id), a.clientId(), null,
                                List.of(new AppointmentSegment(null, null, null, a.start(),
                                        a.start().plusSeconds(60L * a.minutes()))),
                                context.businessTimeZone(), AppointmentStatus.valueOf(a.status()), a.status(), null, null, null,
                                new Money(a.price(), "PLN"), null, new ProviderVersion(a.version(), a.updatedAt()),
                                raw(a.id())));
                    }
                    watermark = max(watermark, a.updatedAt());
                }
            } catch (FakeProvider.FakeHttpException e) {
                throw map(e);
            }
            if (!watermark.equals(Instant.MAX)) {
                sink.saveCursor("changes", watermark.toString());
            }
            return SyncResult.completed();
        }

        private Client client(FakeProvider.FakeClient c) {
            return new Client(new ExternalRef(connectorId(), c.id()), c.name(), null, null,
                    new ProviderVersion(c.version(), c.updatedAt()), raw(c.id()));
        }

        private RuntimeException map(FakeProvider.FakeHttpException e) {
            if (defects.contains(Defect.RAW_EXCEPTIONS)) {
                return new UncheckedIOException(new java.io.IOException("status " + e.status));
            }
            if (defects.contains(Defect.WRONG_ERROR_CODES)) {
                return new ConnectorException(ErrorCode.PROVIDER_ERROR, "provider failed: " + e.status);
            }
            ErrorCode code = switch (e.status) {
                case 401, 403 -> ErrorCode.AUTH_REQUIRED;
                case 404 -> ErrorCode.NOT_FOUND;
                case 429 -> ErrorCode.RATE_LIMITED;
                case 502, 503, 504 -> ErrorCode.PROVIDER_UNAVAILABLE;
                default -> ErrorCode.PROVIDER_ERROR;
            };
            return new ConnectorException(code, "provider answered HTTP " + e.status);
        }

        @Override
        public WebhookHandler webhooks() {
            if (!capabilities.contains(Capability.WEBHOOKS)) {
                return BookingConnector.super.webhooks();
            }
            List<String> secrets = context.config().get("webhookSecret").map(List::of).orElse(List.of());
            HexHmacVerifier verifier = new HexHmacVerifier(secrets);
            return new WebhookHandler() {
                @Override
                public String accountId() {
                    return context.config().string("accountId");
                }

                @Override
                public void verify(WebhookRequest request) throws WebhookVerificationException {
                    if (!defects.contains(Defect.ACCEPTS_ANY_SIGNATURE)) {
                        verifier.verify(request);
                    }
                }

                @Override
                public List<WebhookEvent> parse(WebhookRequest request) {
                    Matcher m = EVENT.matcher(request.bodyAsString());
                    if (!m.find()) {
                        throw new ConnectorException(ErrorCode.INVALID_INPUT, "not a fake event");
                    }
                    return List.of(new WebhookEvent(null, m.group(1), accountId(), null, request.bodyAsString()));
                }

                @Override
                public void apply(WebhookEvent event, RecordSink sink) {
                    Matcher m = EVENT.matcher(event.payloadJson());
                    if (m.find()) {
                        FakeProvider.FakeClient c = provider.client(m.group(2));
                        if (c != null) {
                            sink.upsert(client(c));
                        }
                    }
                }
            };
        }

        @Override
        public FileImporter fileImport() {
            if (defects.contains(Defect.UNCLEAR_UNSUPPORTED)) {
                throw new IllegalStateException("no");
            }
            return BookingConnector.super.fileImport();
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
