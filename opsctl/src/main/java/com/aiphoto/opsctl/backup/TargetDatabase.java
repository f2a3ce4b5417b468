package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.cli.OpsDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The database a restore writes into: what it holds, and emptying it (the SQL behind backup restore). */
final class TargetDatabase {
    private TargetDatabase() {}

    /** A table ("BASE TABLE"), view, sequence, procedure, function or event. */
    record DbObject(String kind, String name) {}

    /** The tables, views, routines and events of {@code database}; null when it does not exist. */
    static List<DbObject> objects(OpsDatabase db, String database) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                }
            }
            List<DbObject> out = new ArrayList<>();
            for (String sql : List.of(
                    "SELECT table_type, table_name FROM information_schema.tables WHERE table_schema = ?",
                    "SELECT routine_type, routine_name FROM information_schema.routines WHERE routine_schema = ?",
                    "SELECT 'EVENT', event_name FROM information_schema.events WHERE event_schema = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, database);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new DbObject(rs.getString(1), rs.getString(2)));
                        }
                    }
                }
            }
            return out;
        }
    }

    /** Creates the database, or drops everything in it, so the result is the backup and nothing else. */
    static void empty(OpsDatabase db, String database, boolean exists) throws SQLException {
        String q = TableChecksums.quote(database);
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            if (!exists) {
                st.execute("CREATE DATABASE " + q + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                return;
            }
            st.execute("SET SESSION foreign_key_checks = 0");
            try {
                for (DbObject object : objects(db, database)) {
                    String n = q + "." + TableChecksums.quote(object.name());
                    st.execute(
                            switch (object.kind()) {
                                case "VIEW" -> "DROP VIEW IF EXISTS " + n;
                                case "SEQUENCE" -> "DROP SEQUENCE IF EXISTS " + n;
                                case "PROCEDURE" -> "DROP PROCEDURE IF EXISTS " + n;
                                case "FUNCTION" -> "DROP FUNCTION IF EXISTS " + n;
                                case "EVENT" -> "DROP EVENT IF EXISTS " + n;
                                default -> "DROP TABLE IF EXISTS " + n;
                            });
                }
            } finally {
                st.execute("SET SESSION foreign_key_checks = 1");
            }
        }
    }
}
