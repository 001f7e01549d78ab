package io.bookinghub.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.Capability;
import io.bookinghub.testkit.FakeConnectorFactory.Defect;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each defect of the fake connector must make exactly the check that guards against it fail, with a message
 * that tells the connector's author what is wrong. A kit whose checks all pass on broken connectors is useless.
 */
class BrokenConnectorsTest {

    interface Check {
        void run(ConnectorContractTest contract) throws Exception;
    }

    private static void assertFails(FakeContract contract, Check check, String... messageParts) throws Exception {
        contract.contractSetUp();
        try {
            var assertion = assertThatThrownBy(() -> check.run(contract)).isInstanceOf(AssertionError.class);
            for (String part : messageParts) {
                assertion.hasMessageContaining(part);
            }
        } finally {
            contract.contractTearDown();
        }
    }

    private static void assertPasses(FakeContract contract, Check check) throws Exception {
        contract.contractSetUp();
        try {
            assertThatCode(() -> check.run(contract)).doesNotThrowAnyException();
        } finally {
            contract.contractTearDown();
        }
    }

    @Test
    void theWellBehavedFakePassesEveryCheckRunDirectly() throws Exception {
        FakeContract good = new FakeContract(FakeContract.SYNC_AND_WEBHOOKS, Set.of());
        assertPasses(good, ConnectorContractTest::checkDescriptorAndConfigMetadata);
        assertPasses(good, ConnectorContractTest::checkConfigValidationNamesFields);
        assertPasses(good, ConnectorContractTest::checkFullSyncIdempotent);
        assertPasses(good, ConnectorContractTest::checkIncrementalSync);
        assertPasses(good, ConnectorContractTest::checkWebhookVerification);
        assertPasses(good, ConnectorContractTest::checkMappedRecordInvariants);
        assertPasses(good, ConnectorContractTest::checkErrorMapping);
        assertPasses(good, ConnectorContractTest::checkFileImport);
        assertPasses(good, ConnectorContractTest::checkOAuth);
    }

    @Test
    void anUnflaggedSecretFailsTheDescriptorCheck() throws Exception {
        assertFails(FakeContract.with(Defect.SECRET_NOT_FLAGGED),
                ConnectorContractTest::checkDescriptorAndConfigMetadata, "apiKey", "flagged secret");
    }

    @Test
    void secretExpectationsAreEnforcedEvenWhenTheNameLooksHarmless() throws Exception {
        FakeContract contract = new FakeContract(FakeContract.SYNC_AND_WEBHOOKS, Set.of()) {
            @Override
            protected Set<String> secretPropertyNames() {
                return Set.of("apiKey", "webhookSecret", "accountId");
            }
        };
        assertFails(contract, ConnectorContractTest::checkDescriptorAndConfigMetadata, "flagged secret()",
                "accountId");
    }

    @Test
    void anInvalidValidConfigIsReportedAsTheTestsFault() throws Exception {
        FakeContract contract = new FakeContract(FakeContract.SYNC_AND_WEBHOOKS, Set.of()) {
            @Override
            protected Map<String, Object> validConfig() {
                Map<String, Object> config = super.validConfig();
                config.remove("accountId");
                return config;
            }
        };
        assertFails(contract, ConnectorContractTest::checkDescriptorAndConfigMetadata,
                "validConfig() of", "accountId: is required");
    }

    @Test
    void aCrossFieldRuleThatIsNotEnforcedFails() throws Exception {
        FakeContract contract = new FakeContract(FakeContract.SYNC_AND_WEBHOOKS, Set.of()) {
            @Override
            protected Map<String, Map<String, Object>> invalidConfigs() {
                Map<String, Object> config = validConfig();
                config.put("pageSize", "0");
                return Map.of("pageSize", config);
            }
        };
        assertFails(contract, ConnectorContractTest::checkConfigValidationNamesFields, "pageSize",
                "create() accepted it");
    }

    @Test
    void clockDependentMappingFailsTheIdempotenceCheck() throws Exception {
        assertFails(FakeContract.with(Defect.UNSTABLE_RAW_JSON), ConnectorContractTest::checkFullSyncIdempotent,
                "must write nothing", "timestamp from the clock");
    }

    @Test
    void anIncrementalSyncThatMissesChangesFails() throws Exception {
        assertFails(FakeContract.with(Defect.INCREMENTAL_MISSES_CHANGES), ConnectorContractTest::checkIncrementalSync,
                "exactly that record", "CLIENT c-2");
    }

    @Test
    void webhookVerificationThatAcceptsAnythingFails() throws Exception {
        assertFails(FakeContract.with(Defect.ACCEPTS_ANY_SIGNATURE), ConnectorContractTest::checkWebhookVerification,
                "changed after signing", "accepted it");
    }

    @Test
    void duplicateExternalIdsFailTheInvariantsCheck() throws Exception {
        assertFails(FakeContract.with(Defect.DUPLICATE_IDS), ConnectorContractTest::checkMappedRecordInvariants,
                "two different records share external id APPOINTMENT same");
    }

    @Test
    void aForeignConnectorIdFailsTheInvariantsCheck() throws Exception {
        assertFails(FakeContract.with(Defect.WRONG_CONNECTOR_ID), ConnectorContractTest::checkMappedRecordInvariants,
                "carries connectorId 'other'");
    }

    @Test
    void wrongErrorCodesFailTheErrorMappingCheck() throws Exception {
        assertFails(FakeContract.with(Defect.WRONG_ERROR_CODES), ConnectorContractTest::checkErrorMapping,
                "HTTP 401", "AUTH_REQUIRED");
    }

    @Test
    void rawExceptionsFailTheErrorMappingCheck() throws Exception {
        assertFails(FakeContract.with(Defect.RAW_EXCEPTIONS), ConnectorContractTest::checkErrorMapping,
                "never throw their own exception types", "UncheckedIOException");
    }

    @Test
    void anUnclearRefusalOfAnUndeclaredCapabilityFails() throws Exception {
        assertFails(FakeContract.with(Defect.UNCLEAR_UNSUPPORTED), ConnectorContractTest::checkFileImport,
                "does not declare FILE_IMPORT", "IllegalStateException");
    }

    @Test
    void aDeclaredCapabilityWithoutItsHookFailsNamingTheHook() throws Exception {
        FakeContract contract = new FakeContract(FakeContract.SYNC_AND_WEBHOOKS, Set.of()) {
            @Override
            protected BookingConnectorFactory factory() {
                // Declares FILE_IMPORT on top, but the contract has no sampleImport().
                FakeConnectorFactory real = (FakeConnectorFactory) super.factory();
                Set<Capability> caps = EnumSet.copyOf(real.descriptor().capabilities());
                caps.add(Capability.FILE_IMPORT);
                return new FakeConnectorFactory(caps, Set.of(), provider);
            }
        };
        assertFails(contract, ConnectorContractTest::checkFileImport, "declares FILE_IMPORT", "sampleImport()");
    }
}
