package com.aiphoto.server.platform;

import com.aiphoto.core.db.Jdbc;
import io.helidon.dbclient.DbRow;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Column conversions for the repositories that read through Helidon's DbClient (core's {@link Jdbc} has its
 * own). Times are stored as UTC {@code DATETIME(3)} and bound as {@link LocalDateTime}, which the MySQL, MariaDB
 * and H2 drivers all pass through without time-zone arithmetic.
 */
public final class Sql {
    private Sql() {}

    /** An instant as a UTC {@code DATETIME(3)} parameter (millisecond precision, like the column). */
    public static LocalDateTime utc(Instant instant) {
        return Jdbc.utc(instant);
    }

    /** The raw value, null for SQL NULL (Helidon's column value throws on get() of a NULL). */
    public static Object value(DbRow row, String column) {
        return row.column(column).asOptional().orElse(null);
    }

    public static Instant instant(DbRow row, String column) {
        Object v = value(row, column);
        return switch (v) {
            case null -> null;
            case LocalDateTime ldt -> ldt.toInstant(ZoneOffset.UTC);
            case Timestamp ts -> ts.toLocalDateTime().toInstant(ZoneOffset.UTC);
            case OffsetDateTime odt -> odt.toInstant();
            case Instant i -> i;
            default -> throw new IllegalStateException("column " + column + " is not a time: " + v.getClass());
        };
    }

    public static long longValue(DbRow row, String column) {
        return ((Number) value(row, column)).longValue();
    }

    public static int intValue(DbRow row, String column) {
        return ((Number) value(row, column)).intValue();
    }

    public static String string(DbRow row, String column) {
        Object v = value(row, column);
        return v == null ? null : v.toString();
    }
}
