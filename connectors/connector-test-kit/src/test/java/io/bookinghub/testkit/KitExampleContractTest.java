package io.bookinghub.testkit;

import java.util.Set;

/** The whole contract against the correct kit example connector: every check must pass, none may be skipped. */
class KitExampleContractTest extends KitExampleContract {
    KitExampleContractTest() {
        super(Set.of());
    }
}
