package io.bookinghub.testkit.provider;

import static java.util.Objects.requireNonNull;

import io.bookinghub.model.RecordKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A list resource a {@link ScriptedProvider} serves, declared by the test: its path, records, paging, filter and
 * the fields the provider stamps on a change. {@code GET <path>} lists (filtered, paged) and {@code GET <path>/<id>}
 * answers one record. Configure it, then hand it to {@link ScriptedProvider.Builder#resource}; the provider copies
 * it.
 *
 * <pre>{@code
 * Resource.at("/bookings").kind(RecordKind.APPOINTMENT)
 *         .paging(Paging.pageNumber("page", "per_page", "next_page")).maxPageSize(5)
 *         .updatedAfter("updated_after", "updated_at").versionField("version")
 *         .template(i -> Map.of("id", "b-" + i, ...))
 *         .records(10)
 * }</pre>
 */
public final class Resource {
    final String path;
    String idField = "id";
    String dataField = "data";
    RecordKind kind;
    Paging paging = Paging.none();
    int maxPageSize = 100;
    String updatedAfterParam;
    String updatedField;
    String versionField;
    IntFunction<Map<String, Object>> template;
    Consumer<Map<String, Object>> change;
    final List<Map<String, Object>> records = new ArrayList<>();

    private Resource(String path) {
        if (!requireNonNull(path, "path is null").startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException("path must look like /bookings: " + path);
        }
        this.path = path;
    }

    /** A resource at {@code path}, e.g. {@code /bookings}. */
    public static Resource at(String path) {
        return new Resource(path);
    }

    /** The field holding a record's id (default {@code id}); every record must have one. */
    public Resource idField(String field) {
        this.idField = requireNonNull(field, "field is null");
        return this;
    }

    /** The envelope field holding a page's records (default {@code data}). */
    public Resource dataField(String field) {
        this.dataField = requireNonNull(field, "field is null");
        return this;
    }

    /**
     * What the connector maps these records to, with the record's id as external id. The kit's checks then expect
     * every record of the resource in the sink after a full sync ({@code ConnectorContractTest}'s all-pages check).
     */
    public Resource kind(RecordKind recordKind) {
        this.kind = requireNonNull(recordKind, "recordKind is null");
        return this;
    }

    public Resource paging(Paging style) {
        this.paging = requireNonNull(style, "style is null");
        return this;
    }

    /** The most records one page holds, whatever the client asks for (default 100). */
    public Resource maxPageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("maxPageSize must be positive: " + size);
        }
        this.maxPageSize = size;
        return this;
    }

    /**
     * The updated-after filter: a list request with {@code ?<param>=<ISO-8601 instant or offset date-time>} answers
     * only records whose {@code field} (an instant or offset date-time) is strictly later. A value that does not
     * parse is answered 400. Changes stamp {@code field} with the provider's clock.
     */
    public Resource updatedAfter(String param, String field) {
        this.updatedAfterParam = requireNonNull(param, "param is null");
        this.updatedField = requireNonNull(field, "field is null");
        return this;
    }

    /** A numeric version field the provider increments on every change (default: none). */
    public Resource versionField(String field) {
        this.versionField = requireNonNull(field, "field is null");
        return this;
    }

    /**
     * Makes record number {@code i} (from 1) for {@link #records(int)} and {@link ScriptedProvider#add}. It must give
     * each {@code i} a distinct id.
     */
    public Resource template(IntFunction<Map<String, Object>> recordMaker) {
        this.template = requireNonNull(recordMaker, "recordMaker is null");
        return this;
    }

    /**
     * What a change does to a record of this resource (e.g. {@code b -> b.put("status", "confirmed")}), for checks
     * that change one record at the provider ({@code ConnectorContractTest}'s incremental check). Without it they add
     * a record made by the {@link #template} instead.
     */
    public Resource changeBy(Consumer<Map<String, Object>> edit) {
        this.change = requireNonNull(edit, "edit is null");
        return this;
    }

    /** The path, e.g. {@code /bookings}. */
    public String path() {
        return path;
    }

    /** What the connector maps the records to, or null when not declared. */
    public RecordKind kind() {
        return kind;
    }

    /** The updated-after query parameter, or null when the resource has no such filter. */
    public String updatedAfterParam() {
        return updatedAfterParam;
    }

    /** The most records one page holds; meaningless when {@link #paged()} is false. */
    public int maxPageSize() {
        return maxPageSize;
    }

    /** Whether lists come in pages (any paging but {@link Paging#none()}). */
    public boolean paged() {
        return !(paging instanceof Paging.None);
    }

    /** Adds records as given (JSON-like maps, lists, strings, numbers, booleans, nulls). */
    public Resource records(List<? extends Map<String, ?>> given) {
        given.forEach(r -> records.add(new LinkedHashMap<>(r)));
        return this;
    }

    /** Adds {@code count} records made by the {@link #template}, numbered after those already declared. */
    public Resource records(int count) {
        if (template == null) {
            throw new IllegalStateException("records(int) needs a template(...) first");
        }
        int from = records.size() + 1;
        for (int i = from; i < from + count; i++) {
            records.add(new LinkedHashMap<>(template.apply(i)));
        }
        return this;
    }
}
