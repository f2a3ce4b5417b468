package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The backup's snapshot session, against a real server: what it reads, and what it leaves locked while the dump goes on. */
class DumpSnapshotTest {
    @Test
    void everyChecksumMethodTellsApartRowsThatACarelessEncodingWouldConfuse() {
        try (SeededDatabase db = SeededDatabase.create("encoding", 1)) {
            db.exec(List.of("CREATE TABLE pair (id INT PRIMARY KEY, a VARCHAR(10) NULL, b VARCHAR(10) NULL)"));
            List<List<String>> rows = List.of(
                    List.of("'a,'", "'b'"),
                    List.of("'a'", "',b'"),
                    List.of("NULL", "'x'"),
                    List.of("'NULL'", "'x'"),
                    List.of("'x'", "NULL"),
                    List.of("''", "'x'"),
                    List.of("'''a'", "'b'"),
                    List.of("'\\\\'", "'b'"),
                    List.of("'1:a'", "'b'"),
                    List.of("'a#'", "'b'"));
            // the server-side methods old manifests name (dump-sha256-v1 hashes mariadb-dump's own quoting)
            for (TableChecksums.Method method : List.of(TableChecksums.Method.V1, TableChecksums.Method.V2)) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (List<String> row : rows) {
                    db.exec(List.of(
                            "DELETE FROM pair", "INSERT INTO pair VALUES (1, " + row.get(0) + ", " + row.get(1) + ")"));
                    String sum = SeededDatabase.checksums(db.name(), method).stream()
                            .filter(t -> t.table().equals("pair"))
                            .findFirst()
                            .orElseThrow()
                            .checksum();
                    assertEquals(true, seen.add(sum), method + ": " + row + " has the checksum of another row");
                }
            }
        }
    }

    @Test
    void theSchemaVersionIsReadAndNothingStaysLockedAgainstDdlWhileTheBackupRuns() throws SQLException {
        try (SeededDatabase db = SeededDatabase.create("mdl", 10)) {
            db.exec(List.of(
                    "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50),"
                            + " success TINYINT NOT NULL)",
                    "INSERT INTO flyway_schema_history VALUES (1, '3', 1)"));
            DataSource ds = db.scratch().dataSource();
            try (DumpSnapshot snapshot = DumpSnapshot.open(ds, db.name(), w -> {})) {
                assertEquals(true, snapshot.aligned());
                // until release, migrations wait: the history cannot change under the dump's snapshot
                try (Connection other = DriverManager.getConnection(
                                db.scratch().jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                        Statement st = other.createStatement()) {
                    st.execute("SET SESSION lock_wait_timeout = 1");
                    org.junit.jupiter.api.Assertions.assertThrows(
                            SQLException.class,
                            () -> st.execute("INSERT INTO flyway_schema_history VALUES (2, '4', 1)"));
                    st.execute("INSERT INTO users (email, created_at) VALUES ('w@example.com', NOW())");
                }
                snapshot.release(); // what the backup does once the dump has started
                assertEquals("3", snapshot.schemaVersion());
                // the backup goes on (the dump would still be running); nothing it read stays locked
                try (Connection other = DriverManager.getConnection(
                                db.scratch().jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                        Statement st = other.createStatement()) {
                    st.execute("SET SESSION lock_wait_timeout = 1");
                    st.execute("ALTER TABLE users ADD COLUMN nickname VARCHAR(20) NULL");
                    st.execute("ALTER TABLE flyway_schema_history ADD COLUMN note VARCHAR(20) NULL");
                    st.execute("INSERT INTO flyway_schema_history VALUES (2, '4', 1, NULL)");
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM users")) {
                        rs.next();
                        assertEquals(12, rs.getInt(1));
                    }
                }
            }
        }
    }
}
