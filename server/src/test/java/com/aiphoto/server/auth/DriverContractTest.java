package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseServer;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.Database;
import com.zaxxer.hikari.HikariDataSource;
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
                Users users = new Users(db.client());
                User u = users.findOrCreateByPhone("13912345678", created);
                assertEquals(u, users.findOrCreateByPhone("13912345678", created.plusSeconds(60)), "found again");
                assertEquals(u, users.byId(u.id()).orElseThrow());
                if (driver.equals("mariadb")) {
                    assertEquals(created, u.createdAt(), "milliseconds kept");
                }

                Clock clock = Clock.fixed(created, ZoneOffset.UTC);
                RefreshTokens tokens = new RefreshTokens(db.jdbc(), Duration.ofDays(30), Duration.ZERO,
                        new byte[32], clock);
                String first = tokens.issue(u.id());
                RefreshTokens.Issued second = tokens.rotate(first);
                assertEquals(u.id(), second.userId());
                assertNotEquals(first, second.token());
                assertThrows(ApiException.class, () -> tokens.rotate(first), "reuse is refused");
                assertThrows(ApiException.class, () -> tokens.rotate(second.token()), "and revoked the family");
            }
        }
    }
}
