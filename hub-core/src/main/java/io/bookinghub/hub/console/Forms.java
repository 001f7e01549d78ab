package io.bookinghub.hub.console;

import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings forms generated from a connector's config metadata (as {@code GET /admin/connectors/{id}} describes
 * it), and the small encoding rules of the console's own URLs.
 */
final class Forms {
    private static final Pattern CONSOLE_PATH = Pattern.compile("/console/[A-Za-z0-9/_.-]{0,200}");

    private Forms() {
    }

    /** {@code &name=value}, encoded, or nothing for a blank value. */
    static String param(String name, String value) {
        return value == null || value.isBlank() ? "" : "&" + name + "=" + URLEncoder.encode(value.trim(),
                StandardCharsets.UTF_8);
    }

    /** A path segment from user input, encoded so it cannot change the path it is put in. */
    static String segment(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A console page to go back to, or {@code fallback}: a form's "back" field never leads off the console. */
    static String consolePath(String back, String fallback) {
        return back != null && CONSOLE_PATH.matcher(back).matches() && !back.contains("..") ? back : fallback;
    }

    /** The connector's config properties of one scope ({@code INTEGRATION} or {@code CONNECTION}). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> properties(Map<String, Object> connector, String scope) {
        Object all = connector.get("configProperties");
        List<Map<String, Object>> out = new ArrayList<>();
        if (all instanceof List<?> list) {
            for (Object p : list) {
                Map<String, Object> property = (Map<String, Object>) p;
                if (scope.equals(property.get("scope"))) {
                    out.add(property);
                }
            }
        }
        return out;
    }

    /**
     * One form field per property: its metadata, its current value ({@code set} for a secret that has one, never the
     * secret) and, where the API says, the value's origin.
     *
     * @param current the property name to a setting view ({@code {value, origin}}) or to a plain value
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> fields(List<Map<String, Object>> properties, Object current) {
        Map<String, Object> values = current instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Map<String, Object> property : properties) {
            Map<String, Object> field = new LinkedHashMap<>(property);
            Object value = values.get(property.get("name"));
            if (value instanceof Map<?, ?> setting) {
                field.put("origin", setting.get("origin") == null ? "" : setting.get("origin").toString());
                value = setting.get("value");
            }
            field.put("value", value == null ? "" : value.toString());
            field.put("input", input(property));
            fields.add(field);
        }
        return fields;
    }

    /**
     * What a submitted settings form changes, for {@code PUT .../settings}: a non-secret whose field differs from
     * the value it showed (blank: back to its default), a secret only when typed in (blank keeps it) or cleared.
     */
    static Map<String, Object> values(List<Map<String, Object>> properties, MultivaluedMap<String, String> form) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> property : properties) {
            String name = property.get("name").toString();
            String typed = form.getFirst("p." + name);
            if (Boolean.TRUE.equals(property.get("secret"))) {
                if (form.containsKey("clear." + name)) {
                    out.put(name, null);
                } else if (typed != null && !typed.isEmpty()) {
                    out.put(name, typed);
                }
            } else if (typed != null && !typed.equals(form.getFirst("shown." + name))) {
                out.put(name, typed.isBlank() ? null : typed.trim());
            }
        }
        return out;
    }

    /**
     * A connection's whole configuration, for {@code PUT .../connections/{id}} (which replaces it): every
     * non-secret that has a value, a secret only when typed in (left out, the stored one stays) or cleared.
     */
    static Map<String, Object> config(List<Map<String, Object>> properties, MultivaluedMap<String, String> form) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> property : properties) {
            String name = property.get("name").toString();
            String typed = form.getFirst("p." + name);
            boolean secret = Boolean.TRUE.equals(property.get("secret"));
            if (secret && form.containsKey("clear." + name)) {
                out.put(name, null);
            } else if (typed != null && !typed.isBlank()) {
                out.put(name, secret ? typed : typed.trim());
            }
        }
        return out;
    }

    /** The HTML input a property gets. */
    private static String input(Map<String, Object> property) {
        if (Boolean.TRUE.equals(property.get("secret"))) {
            return "password";
        }
        return switch (String.valueOf(property.get("type"))) {
            case "ENUM" -> "select";
            case "BOOLEAN" -> "boolean";
            case "INTEGER", "DECIMAL" -> "number";
            case "URL" -> "url";
            case "JSON" -> "textarea";
            default -> "text";
        };
    }
}
