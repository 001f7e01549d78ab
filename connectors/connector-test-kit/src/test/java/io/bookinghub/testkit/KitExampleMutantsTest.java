package io.bookinghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookinghub.testkit.KitExampleConnectorFactory.Mutant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each mutant of the kit's example connector (the seven bugs of issue 12 that the old kit passed, and the failures
 * its new checks are for) must make the check that guards against it fail, with a message that names the problem;
 * the same check passes on the correct connector in the same harness, so the failure is the mutant's.
 */
class KitExampleMutantsTest {

    interface Check {
        void run(ConnectorContractTest contract) throws Exception;
    }

    private record Guard(Check check, List<String> messageParts) {
    }

    private static final Map<Mutant, Guard> GUARDS = new EnumMap<>(Mutant.class);

    static {
        GUARDS.put(Mutant.INCREMENTAL_IGNORES_CURSOR, new Guard(ConnectorContractTest::checkIncrementalSync,
                List.of("upserted 12 of the 12 APPOINTMENT records", "must read from its saved cursor")));
        GUARDS.put(Mutant.FIRST_PAGE_ONLY, new Guard(ConnectorContractTest::checkAllPagesRead,
                List.of("must read every page of /services", "s-3")));
        GUARDS.put(Mutant.ACCEPTS_MISSING_SIGNATURE, new Guard(ConnectorContractTest::checkWebhookVerification,
                List.of("no signature header", "but it accepted it")));
        GUARDS.put(Mutant.NO_PROVIDER_VERSION, new Guard(ConnectorContractTest::checkWebhookApplyIdempotentAndOrdered,
                List.of("older webhook event applied after a newer one overwrote it", "ProviderVersion")));
        GUARDS.put(Mutant.EVERYTHING_CONFIRMED, new Guard(ConnectorContractTest::checkAppointmentMapping,
                List.of("status of appointment b-1", "BOOKED", "CONFIRMED")));
        GUARDS.put(Mutant.OFFSET_DROPPED, new Guard(ConnectorContractTest::checkAppointmentMapping,
                List.of("start of appointment b-1", "UTC offset was dropped", "2026-03-21T10:00:00Z")));
        GUARDS.put(Mutant.NO_WEBHOOK_ACCOUNT_ID, new Guard(ConnectorContractTest::checkWebhookRouting,
                List.of("webhookAccountId(signed sample webhook)", "acct-1", "can never reach it")));
        GUARDS.put(Mutant.NO_RETRY, new Guard(ConnectorContractTest::checkProviderFailures,
                List.of("one HTTP 503 with Retry-After: 1 must be retried")));
        GUARDS.put(Mutant.UNMAPPED_PARSE_ERRORS, new Guard(ConnectorContractTest::checkProviderFailures,
                List.of("an HTML page", "IllegalStateException")));
        GUARDS.put(Mutant.IGNORES_CANCEL, new Guard(ConnectorContractTest::checkCancellation,
                List.of("cancelled after its first record must not report a complete run")));
        GUARDS.put(Mutant.SHARED_PAGE_STATE, new Guard(ConnectorContractTest::checkConcurrentUse,
                List.of("a full sync", "from several threads at once")));
        GUARDS.put(Mutant.APPLY_NOT_IDEMPOTENT, new Guard(ConnectorContractTest::checkWebhookApplyIdempotentAndOrdered,
                List.of("applying the same webhook events again", "must write nothing")));
        GUARDS.put(Mutant.DISCONNECT_THROWS, new Guard(ConnectorContractTest::checkDisconnect,
                List.of("disconnect()", "IllegalStateException")));
        GUARDS.put(Mutant.KEY_IN_URL, new Guard(ConnectorContractTest::checkCredentialSent,
                List.of("carries the credential in its URL")));
    }

    private static void run(ConnectorContractTest contract, Check check) throws Exception {
        contract.contractSetUp();
        try {
            check.run(contract);
        } finally {
            contract.contractTearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Mutant.class)
    void eachMutantFailsItsGuardingCheckWhichTheCorrectConnectorPasses(Mutant mutant) throws Exception {
        Guard guard = GUARDS.get(mutant);
        assertThat(guard).as("no guarding check declared for %s", mutant).isNotNull();
        assertThatCode(() -> run(new KitExampleContract(Set.of()), guard.check())).as("the correct connector")
                .doesNotThrowAnyException();
        var failure = assertThatThrownBy(() -> run(new KitExampleContract(EnumSet.of(mutant)), guard.check()))
                .as("the %s mutant", mutant).isInstanceOf(AssertionError.class);
        for (String part : guard.messageParts()) {
            failure.hasMessageContaining(part);
        }
    }
}
