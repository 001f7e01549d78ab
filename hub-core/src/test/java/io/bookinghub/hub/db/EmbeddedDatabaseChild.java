package io.bookinghub.hub.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * A stand-in for a hub process in {@link EmbeddedServerGuardTest}: opens the embedded database the way the hub
 * does, commits one row, prints {@code READY <postmaster pid>} and waits to be killed.
 */
public final class EmbeddedDatabaseChild {
    private EmbeddedDatabaseChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDirectory = Path.of(args[0]);
        HubDatabase database = HubDatabase.open(EmbeddedConfigs.withDataDirectory(dataDirectory,
                Boolean.parseBoolean(args[1])));
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS kept (note text)");
            c.createStatement().execute("INSERT INTO kept VALUES ('" + args[2] + "')");
        }
        long pid = EmbeddedServerGuard.Postmaster.read(dataDirectory).orElseThrow().pid();
        System.out.println("READY " + pid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
