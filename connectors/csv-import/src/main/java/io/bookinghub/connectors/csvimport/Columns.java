package io.bookinghub.connectors.csvimport;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.bookinghub.spi.fileimport.ColumnMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which column each field of a kind is read from, resolved once per file from its header row: the
 * connection's {@code columnMapping} first, then the built-in header table. A column serves one field at
 * most; columns no field claims are kept in each record's raw JSON only.
 */
final class Columns {
    private final ImportKind kind;
    private final List<String> headers;
    private final Map<String, Integer> indexByField = new LinkedHashMap<>();

    private Columns(ImportKind kind, List<String> headers, CsvImportConfig config) {
        this.kind = kind;
        this.headers = headers;
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            byKey.putIfAbsent(Words.key(headers.get(i)), i);
        }
        List<Boolean> taken = new ArrayList<>(headers.stream().map(h -> false).toList());
        List<String> missing = new ArrayList<>();
        // Overrides first, so a column the connection names is not claimed by a built-in alias of another field.
        for (ImportKind.Field field : kind.fields()) {
            if (config.overrides(kind, field.name())) {
                String wanted = config.header(kind, field.name());
                if (wanted == null) {
                    continue;
                }
                Integer index = byKey.get(Words.key(wanted));
                if (index == null) {
                    missing.add("'" + wanted + "' (" + kind.id() + "." + field.name() + ", from columnMapping)");
                } else {
                    indexByField.put(field.name(), index);
                    taken.set(index, true);
                }
            }
        }
        for (int i = 0; i < headers.size(); i++) {
            int column = i;
            Optional<String> field = HeaderAliases.field(kind, headers.get(i));
            if (!taken.get(i) && field.isPresent() && !config.overrides(kind, field.get())
                    && !indexByField.containsKey(field.get())) {
                indexByField.put(field.get(), column);
                taken.set(i, true);
            }
        }
        for (ImportKind.Field field : kind.fields()) {
            if (field.required() && !indexByField.containsKey(field.name()) && !config.overrides(kind, field.name())) {
                missing.add(describe(field.name()));
            }
        }
        if (kind == ImportKind.APPOINTMENTS) {
            if (!has("startDateTime") && !(has("date") && has("startTime"))) {
                missing.add(describe("date") + " and " + describe("startTime") + ", or " + describe("startDateTime"));
            }
            if (!has("endTime") && !has("duration") && !has("endDateTime")) {
                missing.add(describe("endTime") + ", " + describe("duration") + " or " + describe("endDateTime"));
            }
        }
        if (!missing.isEmpty()) {
            throw new ConnectorException(ErrorCode.INVALID_INPUT, "the " + kind.id() + " file has no column "
                    + String.join("; no column ", missing) + "; its columns are " + headers
                    + " (set columnMapping to read other headers)");
        }
    }

    private String describe(String field) {
        List<String> known = HeaderAliases.headers(kind, field);
        return kind.id() + "." + field + " (e.g. " + String.join(", ", known.subList(0, Math.min(3, known.size()))
                .stream().map(h -> "'" + h + "'").toList()) + ")";
    }

    /** Resolves the columns of a kind's file. */
    static Columns of(ImportKind kind, List<String> header, CsvImportConfig config) {
        return new Columns(kind, List.copyOf(header.stream().map(String::strip).toList()), config);
    }

    /**
     * The kind a header row makes obvious: appointments when it has a start, services when it has a name and a
     * duration, clients when it has a name and a phone or email; empty when none fits.
     */
    static Optional<ImportKind> inferKind(List<String> header) {
        Map<ImportKind, List<String>> fields = new HashMap<>();
        for (ImportKind kind : ImportKind.values()) {
            fields.put(kind, header.stream().map(h -> HeaderAliases.field(kind, h).orElse("")).toList());
        }
        List<String> a = fields.get(ImportKind.APPOINTMENTS);
        if (a.contains("startDateTime") || a.contains("date") && a.contains("startTime")) {
            return Optional.of(ImportKind.APPOINTMENTS);
        }
        List<String> s = fields.get(ImportKind.SERVICES);
        if (s.contains("name") && s.contains("duration")) {
            return Optional.of(ImportKind.SERVICES);
        }
        List<String> c = fields.get(ImportKind.CLIENTS);
        if (c.contains("name") && (c.contains("phone") || c.contains("email"))) {
            return Optional.of(ImportKind.CLIENTS);
        }
        return Optional.empty();
    }

    ImportKind kind() {
        return kind;
    }

    List<String> headers() {
        return headers;
    }

    int width() {
        return headers.size();
    }

    boolean has(String field) {
        return indexByField.containsKey(field);
    }

    /** The column of a field, or -1. */
    int index(String field) {
        Integer index = indexByField.get(field);
        return index == null ? -1 : index;
    }

    /** The file's header of a field's column, or null. */
    String header(String field) {
        Integer index = indexByField.get(field);
        return index == null ? null : headers.get(index);
    }

    /** Column to field (null when not read), in column order, e.g. {@code Data wizyty → date}, for the dry run. */
    List<ColumnMapping> mappings() {
        List<ColumnMapping> mappings = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            int column = i;
            String field = indexByField.entrySet().stream().filter(e -> e.getValue() == column)
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            mappings.add(new ColumnMapping(headers.get(i), field));
        }
        return mappings;
    }
}
