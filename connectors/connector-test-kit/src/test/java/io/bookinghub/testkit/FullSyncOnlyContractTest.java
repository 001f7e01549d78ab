package io.bookinghub.testkit;

import io.bookinghub.spi.Capability;
import io.bookinghub.spi.webhook.WebhookRequest;
import java.util.Set;

/** A fake with full sync only: incremental and webhooks must be refused, and their hooks are never called. */
class FullSyncOnlyContractTest extends FakeContract {
    FullSyncOnlyContractTest() {
        super(Set.of(Capability.API_KEY_AUTH, Capability.FULL_SYNC), Set.of());
    }

    @Override
    protected ChangedRecord changeOneRecordAtProvider() {
        throw new AssertionError("the kit must not ask for a change when INCREMENTAL_SYNC is not declared");
    }

    @Override
    protected WebhookRequest signedWebhook(byte[] body) {
        throw new AssertionError("the kit must not sign webhooks when WEBHOOKS is not declared");
    }
}
