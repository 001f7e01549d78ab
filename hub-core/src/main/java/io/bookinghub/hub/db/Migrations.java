package io.bookinghub.hub.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the versioned SQL in the migrations module (classpath:db/migration). */
public final class Migrations {
    static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    public static MigrateResult migrate(HubDatabase database) {
        return Flyway.configure()
                .dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations(LOCATION)
                .validateMigrationNaming(true)
                .load()
                .migrate();
    }
}
