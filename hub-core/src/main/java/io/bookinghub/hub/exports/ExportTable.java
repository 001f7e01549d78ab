package io.bookinghub.hub.exports;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.util.List;
import java.util.function.BiFunction;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * One kind of export: the statement that reads its rows in order, how a row becomes a record, and its CSV form.
 * NDJSON writes the record itself, as JSON.
 *
 * @param name    the file's base name, e.g. {@code appointments}
 * @param sql     a SELECT with {@code :business_id} and the {@code <filters>} define of {@link ExportFilter}
 * @param mapper  a result row as the record
 * @param headers the CSV header row: names the CSV import reads back (docs/importing.md)
 * @param cells   a record's CSV cells, local times in the business's zone
 */
record ExportTable<T>(String name, String sql, RowMapper<T> mapper, List<String> headers,
        BiFunction<T, ZoneId, List<String>> cells) {
    ExportTable {
        requireNonNull(name, "name is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(mapper, "mapper is null");
        headers = List.copyOf(headers);
        requireNonNull(cells, "cells is null");
    }
}
