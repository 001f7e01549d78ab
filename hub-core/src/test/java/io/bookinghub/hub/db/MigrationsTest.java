package io.bookinghub.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.testing.TestDatabase;
import java.util.List;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

class MigrationsTest {
    @Test
    void migrationsApplyToAnEmptyDatabaseAndAreIdempotent() {
        TestDatabase db = TestDatabase.createEmpty();
        DatabaseConfig config = db.config();
        HubDatabase hubDb = HubDatabase.open(config);

        MigrateResult first = Migrations.migrate(hubDb);
        assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(1);
        assertThat(first.success).isTrue();

        MigrateResult second = Migrations.migrate(hubDb);
        assertThat(second.migrationsExecuted).isZero();

        List<String> tables = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .mapTo(String.class).list());
        assertThat(tables).contains("businesses", "connections", "credentials", "sync_runs", "sync_logs",
                "webhook_log", "webhook_inbox", "api_call_log", "appointments", "appointment_segments", "services",
                "service_variants", "clients", "staff_members", "locations", "availability_slots", "api_keys");
        // Instants are timestamptz everywhere: no column stores a local time without its zone.
        List<String> naive = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' "
                        + "AND data_type = 'timestamp without time zone' AND table_name <> 'flyway_schema_history'").mapTo(String.class).list());
        assertThat(naive).isEmpty();
    }
}
