package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    private static final String FIXTURES = "classpath:db/fixture-migrations";

    @TempDir
    Path dataDir;

    @Test
    void migratesEmbeddedH2() throws SQLException {
        DatabaseSettings db = DatabaseSettings.from(Settings.of(Map.of("DATA_DIR", dataDir.toString())));
        assertTrue(db.embedded());
        try (HikariDataSource ds = DataSources.create(db, "h2-test")) {
            migrateTwice(ds);
        }
    }

    @Test
    void migratesMariaDb() throws SQLException {
        try (TestDatabases.Scratch scratch = TestDatabases.create("migrations");
                HikariDataSource ds =
                        DataSources.create(DatabaseSettings.from(Settings.of(scratch.settings())), "mariadb-test")) {
            migrateTwice(ds);
        }
    }

    private static void migrateTwice(DataSource ds) throws SQLException {
        Migrations m = new Migrations(ds, FIXTURES);
        assertEquals("none", m.currentVersion());
        assertEquals(
                List.of("1", "2"),
                m.pending().stream()
                        .map(MigrationInfo::getVersion)
                        .map(v -> v.getVersion())
                        .toList());

        assertEquals(2, m.migrate().migrationsExecuted);
        assertEquals(List.of(), m.pending());
        assertEquals("2", m.currentVersion());
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO widgets (name, created_at, colour) VALUES (?, ?, ?)")) {
                ps.setString(1, "w1");
                ps.setTimestamp(2, Timestamp.from(Instant.parse("2024-01-02T03:04:05.678Z")));
                ps.setString(3, "red");
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, colour FROM widgets");
                    ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("w1", rs.getString("name"));
                assertEquals("red", rs.getString("colour"));
            }
        }

        Migrations again = new Migrations(ds, FIXTURES);
        assertEquals(0, again.migrate().migrationsExecuted);
        assertEquals("2", again.currentVersion());
    }

    @Test
    void unreachableDatabaseFailsWithinTheConnectTimeout() {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_HOST",
                "127.0.0.1",
                "DB_PORT",
                "1",
                "DB_USER",
                "nobody",
                "DB_CONNECT_TIMEOUT",
                "1s",
                "DB_POOL_MIN",
                "1",
                "DB_POOL_MAX",
                "2",
                "DB_PARAMS",
                "useSSL=false"));
        DatabaseSettings db = DatabaseSettings.from(Settings.of(env));
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            // the pool itself starts although the database is down
            try (HikariDataSource ds = DataSources.create(db, "unreachable-test")) {
                assertThrows(SQLException.class, ds::getConnection);
            }
        });
    }
}
