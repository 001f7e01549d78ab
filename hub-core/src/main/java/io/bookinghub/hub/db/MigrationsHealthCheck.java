package io.bookinghub.hub.db;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.health.HealthCheck;
import org.flywaydb.core.Flyway;

/**
 * Unhealthy while the database lacks migrations this hub ships (e.g. {@code database.migrateOnStart} is off and
 * nobody ran {@code db migrate} yet). Once none is pending it stays healthy without asking again: a running hub's
 * migrations do not change, and a newer node migrating further leaves none of this node's pending.
 */
public final class MigrationsHealthCheck extends HealthCheck {
    private final HubDatabase database;
    private volatile boolean applied;

    public MigrationsHealthCheck(HubDatabase database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    protected Result check() {
        if (applied) {
            return Result.healthy("all migrations applied");
        }
        int pending = Flyway.configure()
                .dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations(Migrations.LOCATION)
                .load().info().pending().length;
        if (pending > 0) {
            return Result.unhealthy(pending + " migration(s) pending: run `db migrate` or set database.migrateOnStart");
        }
        applied = true;
        return Result.healthy("all migrations applied");
    }
}
