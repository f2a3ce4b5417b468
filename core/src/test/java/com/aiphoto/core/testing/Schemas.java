package com.aiphoto.core.testing;

import com.aiphoto.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The application schema of a MariaDB database as {@code SHOW CREATE TABLE} prints it, for comparisons. In core's
 * test-jar rather than the testing module: it leaves out the migration engine's bookkeeping tables.
 */
public final class Schemas {
    private Schemas() {}

    /**
     * Table name -> its CREATE TABLE, without the migration bookkeeping tables and without the
     * {@code AUTO_INCREMENT=n} counter (data, not schema).
     */
    public static Map<String, String> tables(TestDatabases.Scratch db) {
        try (Connection c = db.dataSource().getConnection()) {
            List<String> names = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SHOW FULL TABLES")) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (!name.equals("flyway_schema_history") && !name.startsWith("ops_")) {
                        names.add(name);
                    }
                }
            }
            Map<String, String> out = new TreeMap<>();
            for (String t : names) {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SHOW CREATE TABLE `" + t + "`")) {
                    rs.next();
                    out.put(t, rs.getString(2).replaceAll(" AUTO_INCREMENT=\\d+", ""));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
