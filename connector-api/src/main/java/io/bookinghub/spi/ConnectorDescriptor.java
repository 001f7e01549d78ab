package io.bookinghub.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the hub knows about a connector type without creating one: its identity, what it can do and
 * what configuration a connection needs.
 *
 * @param id               stable id used in URLs and storage ({@code booksy}); lower case, digits, dashes
 * @param displayName      name shown to admins
 * @param version          connector version (semantic version recommended)
 * @param description      one paragraph for admins
 * @param capabilities     what the connector can do; operations outside these fail with UNSUPPORTED
 * @param configProperties configuration metadata; names are unique
 */
public record ConnectorDescriptor(
        String id,
        String displayName,
        String version,
        String description,
        Set<Capability> capabilities,
        List<ConfigProperty> configProperties) {

    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

    public ConnectorDescriptor {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(version, "version is null");
        description = description == null ? "" : description;
        capabilities = capabilities == null || capabilities.isEmpty()
                ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        configProperties = configProperties == null ? List.of() : List.copyOf(configProperties);
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Connector id '" + id + "' must match " + ID.pattern());
        }
        if (displayName.isBlank()) {
            throw new IllegalArgumentException("Connector " + id + " has a blank display name");
        }
        Set<String> names = new HashSet<>();
        for (ConfigProperty p : configProperties) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("Connector " + id + " declares config property '"
                        + p.name() + "' twice");
            }
        }
        if (capabilities.contains(Capability.INCREMENTAL_SYNC) && !capabilities.contains(Capability.FULL_SYNC)) {
            throw new IllegalArgumentException("Connector " + id + " declares INCREMENTAL_SYNC without FULL_SYNC");
        }
    }

    /** The configuration properties by name, in declaration order. */
    public Map<String, ConfigProperty> propertiesByName() {
        Map<String, ConfigProperty> byName = new LinkedHashMap<>();
        configProperties.forEach(p -> byName.put(p.name(), p));
        return Collections.unmodifiableMap(byName);
    }

    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }
}
