package io.bookinghub.hubtesting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stands in for the hub's main class: prints its arguments and the config file, then exits with 3. */
public final class PrintConfigAndExit {
    private PrintConfigAndExit() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("args: " + String.join(" ", args));
        System.out.println("token set: " + (System.getenv("HUB_ADMIN_TOKEN") != null));
        System.out.println(Files.readString(Path.of(args[1])));
        System.exit(3);
    }
}
