package io.bookinghub.hub.model;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.UUID;
import org.jdbi.v3.core.argument.Argument;

/**
 * Typed JDBC arguments and column readers, so this package works whichever Jdbi plugins the caller
 * installed and instants always travel as UTC timestamptz.
 */
final class SqlArgs {
    private SqlArgs() {
    }

    static Argument text(String value) {
        return (pos, st, ctx) -> {
            if (value == null) {
                st.setNull(pos, Types.VARCHAR);
            } else {
                st.setString(pos, value);
            }
        };
    }

    static Argument bigint(Long value) {
        return (pos, st, ctx) -> {
            if (value == null) {
                st.setNull(pos, Types.BIGINT);
            } else {
                st.setLong(pos, value);
            }
        };
    }

    static Argument integer(int value) {
        return (pos, st, ctx) -> st.setInt(pos, value);
    }

    static Argument bool(boolean value) {
        return (pos, st, ctx) -> st.setBoolean(pos, value);
    }

    static Argument numeric(BigDecimal value) {
        return (pos, st, ctx) -> {
            if (value == null) {
                st.setNull(pos, Types.NUMERIC);
            } else {
                st.setBigDecimal(pos, value);
            }
        };
    }

    static Argument uuid(UUID value) {
        return (pos, st, ctx) -> {
            if (value == null) {
                st.setNull(pos, Types.OTHER);
            } else {
                st.setObject(pos, value);
            }
        };
    }

    static Argument uuids(Collection<UUID> values) {
        return (pos, st, ctx) -> {
            Array array = st.getConnection().createArrayOf("uuid", values.toArray());
            st.setArray(pos, array);
        };
    }

    static Argument texts(Collection<String> values) {
        return (pos, st, ctx) -> st.setArray(pos, st.getConnection().createArrayOf("text", values.toArray()));
    }

    static Argument timestamp(Instant value) {
        return (pos, st, ctx) -> {
            if (value == null) {
                st.setNull(pos, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                st.setObject(pos, OffsetDateTime.ofInstant(micros(value), ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
            }
        };
    }

    /** timestamptz keeps microseconds; comparisons with stored values must use the same precision. */
    static Instant micros(Instant value) {
        return value == null ? null : value.truncatedTo(ChronoUnit.MICROS);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime odt = rs.getObject(column, OffsetDateTime.class);
        return odt == null ? null : odt.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
