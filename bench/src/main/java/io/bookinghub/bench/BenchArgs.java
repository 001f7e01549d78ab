package io.bookinghub.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value}, shared by the benchmarks' option records. */
final class BenchArgs {
    private BenchArgs() {
    }

    /** Each of {@code flags} given in {@code args} with its value; anything else is refused. */
    static Map<String, String> valued(String[] args, Set<String> flags) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (flags.contains(args[i]) && i + 1 < args.length) {
                given.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete option: " + args[i]);
            }
        }
        return given;
    }

    /** The value of {@code flag} split on whitespace (a list of JVM options, say); empty when not given. */
    static List<String> words(Map<String, String> given, String flag) {
        String value = given.get(flag);
        return value == null ? List.of() : List.of(value.trim().split("\\s+"));
    }
}
