package io.bookinghub.testkit;

import java.util.Set;

/** The whole contract against a well-behaved fake with sync (full and incremental) and webhooks. */
class FakeConnectorContractTest extends FakeContract {
    FakeConnectorContractTest() {
        super(SYNC_AND_WEBHOOKS, Set.of());
    }
}
