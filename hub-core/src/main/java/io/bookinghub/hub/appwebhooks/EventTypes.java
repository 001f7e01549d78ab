package io.bookinghub.hub.appwebhooks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event types an endpoint can subscribe to: {@code <kind>.<operation>} for every change-feed kind and operation,
 * and {@link #ENDPOINT_DISABLED}, which announces that one of the same key's endpoints was disabled.
 */
final class EventTypes {
    static final String ENDPOINT_DISABLED = "webhook_endpoint.disabled";
    static final Set<String> ALL;

    static {
        Set<String> all = new TreeSet<>();
        for (String kind : List.of("appointment", "client", "service", "staff_member", "location",
                "availability_slot", "business")) {
            for (String operation : List.of("created", "updated", "deleted")) {
                all.add(kind + "." + operation);
            }
        }
        all.add(ENDPOINT_DISABLED);
        ALL = Collections.unmodifiableSet(all);
    }

    private EventTypes() {
    }

    /** The types in {@code requested} that do not exist. */
    static List<String> unknown(List<String> requested) {
        List<String> unknown = new ArrayList<>();
        for (String type : requested) {
            if (!ALL.contains(type)) {
                unknown.add(type);
            }
        }
        return unknown;
    }
}
