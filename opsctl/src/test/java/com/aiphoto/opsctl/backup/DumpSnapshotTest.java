package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import com.aiphoto.core.testing.TestDatabases;
import com.mysql.cj.jdbc.MysqlDataSource;
import org.junit.jupiter.api.Test;

/** The backup's checksum session, against a real server: what it leaves locked while the dump goes on. */
class DumpSnapshotTest {
    @Test
    void tablesWhoseChecksumIsTakenAreNotLockedAgainstDdlWhileTheBackupRuns() throws SQLException {
        try (SeededDatabase db = SeededDatabase.create("mdl", 10)) {
            db.exec(List.of("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50),"
                    + " success TINYINT NOT NULL)", "INSERT INTO flyway_schema_history VALUES (1, '3', 1)"));
            MysqlDataSource ds = new MysqlDataSource();
            ds.setUrl(db.scratch().jdbcUrl());
            ds.setUser(TestDatabases.user());
            ds.setPassword(TestDatabases.password());
            try (DumpSnapshot snapshot = DumpSnapshot.open(ds, db.name(), w -> { })) {
                snapshot.release(); // what the backup does once the dump has started
                assertEquals(4, snapshot.checksums().size());
                assertEquals("3", snapshot.schemaVersion());
                // the snapshot's transaction is still open (the dump would still be running); before, it kept a
                // metadata lock on every table it had read, so these waited until the backup ended
                try (Connection other = DriverManager.getConnection(db.scratch().jdbcUrl(), TestDatabases.user(),
                        TestDatabases.password()); Statement st = other.createStatement()) {
                    st.execute("SET SESSION lock_wait_timeout = 1");
                    st.execute("ALTER TABLE users ADD COLUMN nickname VARCHAR(20) NULL");
                    st.execute("ALTER TABLE flyway_schema_history ADD COLUMN note VARCHAR(20) NULL");
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM users")) {
                        rs.next();
                        assertEquals(11, rs.getInt(1));
                    }
                }
            }
        }
    }
}
