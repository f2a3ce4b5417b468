package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseServer;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.Database;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The migration engine and the repositories through each driver: mysql-connector-j (production's, for MySQL 8)
 * and MariaDB Connector/J (the suite's). The suite's MariaDB is the server either way; only MariaDB's driver keeps
 * the milliseconds there, which is why it is the one to use against MariaDB.
 */
class DriverContractTest {
    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void migrationsAndRepositoryRoundTrips(String driver) throws Exception {
        try (TestDatabases.Scratch scratch = TestDatabases.create("driver_" + driver)) {
            DatabaseSettings settings = DatabaseSettings.from(Settings.of(scratch.settings(driver)));
            try (HikariDataSource ops = DataSources.create(settings, "contract-ops")) {
                Migrations migrations = new Migrations(ops, Migrations.DEFAULT_LOCATION);
                assertTrue(migrations.migrate().migrationsExecuted > 0);
                assertEquals(List.of(), migrations.pending());
            }
            try (Database db = new Database(settings)) {
                DatabaseServer server = DatabaseServer.inspect(db.dataSource(), settings.driver());
                assertEquals(driver.equals("mysql"), server.driverMismatch().isPresent(), server.toString());

                Instant created = Instant.parse("2026-12-01T21:39:45.123Z");
                Users users = new Users(db.client(), db.jdbc(), AccountChanges.NONE);
                User u = users.findOrCreateByPhone("13912345678", created);
                assertEquals(u, users.findOrCreateByPhone("13912345678", created.plusSeconds(60)), "found again");
                assertEquals(u, users.byId(u.id()).orElseThrow());
                if (driver.equals("mariadb")) {
                    assertEquals(created, u.createdAt(), "milliseconds kept");
                }

                Clock clock = Clock.fixed(created, ZoneOffset.UTC);
                RefreshTokens tokens =
                        new RefreshTokens(db.jdbc(), Duration.ofDays(30), Duration.ZERO, new byte[32], clock);
                String first = tokens.issue(u.id());
                RefreshTokens.Issued second = tokens.rotate(first);
                assertEquals(u.id(), second.userId());
                assertNotEquals(first, second.token());
                assertThrows(ApiException.class, () -> tokens.rotate(first), "reuse is refused");
                assertThrows(ApiException.class, () -> tokens.rotate(second.token()), "and revoked the family");
            }
        }
    }

    /**
     * A user lookup through the request pool is one statement on the wire: no autocommit or isolation chatter
     * from the driver, no validation query from the pool. Counted with the session's own Questions counter on the
     * pool's only connection.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void aUserLookupIsOneStatement(String driver) throws Exception {
        try (TestDatabases.Scratch scratch = TestDatabases.create("trips_" + driver)) {
            Map<String, String> env = new HashMap<>(scratch.settings(driver));
            env.put("DB_POOL_MIN", "1");
            env.put("DB_POOL_MAX", "1");
            DatabaseSettings settings = DatabaseSettings.from(Settings.of(env));
            // the migration engine needs a second connection for its lock
            try (HikariDataSource ops =
                    DataSources.create(DatabaseSettings.from(Settings.of(scratch.settings(driver))), "trips-ops")) {
                new Migrations(ops, Migrations.DEFAULT_LOCATION).migrate();
            }
            try (Database db = new Database(settings)) {
                Users users = new Users(db.client(), db.jdbc(), AccountChanges.NONE);
                long id =
                        users.findOrCreateByPhone("13912345670", Instant.now()).id();
                long before = questions(db);
                for (int i = 0; i < 20; i++) {
                    assertEquals(id, users.byId(id).orElseThrow().id());
                }
                // the second SHOW STATUS counts itself
                assertEquals(20 + 1, questions(db) - before, "statements for 20 lookups");
            }
        }
    }

    private static long questions(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Questions'")) {
            assertTrue(rs.next());
            return rs.getLong(2);
        }
    }
}
