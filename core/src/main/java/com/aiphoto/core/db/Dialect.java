package com.aiphoto.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/** The two databases the engine runs on: MySQL/MariaDB in real installations, H2 (MySQL mode) for development. */
enum Dialect {
    MYSQL,
    H2;

    /** MySQL error numbers meaning "the object to drop or change is not there". */
    private static final Set<Integer> MYSQL_ABSENT = Set.of(1051, 1054, 1091, 1146, 1176, 1305, 1360, 1539, 4031);
    /** H2 error codes for the same (table, column, index, constraint, trigger, sequence not found). */
    private static final Set<Integer> H2_ABSENT = Set.of(42102, 42103, 42122, 42112, 90057, 90042, 90036);

    static Dialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("h2") ? H2 : MYSQL;
    }

    /**
     * Whether a failed down statement only found that what it undoes was never created: tolerated when undoing
     * a migration that stopped part-way, whose later statements never ran.
     */
    boolean objectAbsent(SQLException e) {
        return (this == MYSQL ? MYSQL_ABSENT : H2_ABSENT).contains(e.getErrorCode());
    }
}
