package io.bookinghub.testkit;

import io.bookinghub.spi.Capability;
import java.util.Set;

/**
 * The whole contract against a fake that declares no data capability: every check must pass by asserting the
 * UNSUPPORTED error, and none of the sync or webhook hooks may be needed.
 */
class MinimalConnectorContractTest extends FakeContract {
    MinimalConnectorContractTest() {
        super(Set.of(Capability.API_KEY_AUTH), Set.of());
    }
}
