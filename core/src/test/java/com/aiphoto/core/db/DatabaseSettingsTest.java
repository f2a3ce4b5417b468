package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {
    private static final String PASSWORD = "Sup3r-S3cret-Pw";

    @Test
    void embeddedWithoutDbHost() {
        DatabaseSettings db =
                DatabaseSettings.from(Settings.of(Map.of("DATA_DIR", "/srv/ai-photo/data", "DB_PASSWORD", PASSWORD)));
        assertTrue(db.embedded());
        assertEquals(
                "jdbc:h2:file:/srv/ai-photo/data/db/ai_photo;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH",
                db.jdbcUrl());
        assertEquals("embedded H2 at /srv/ai-photo/data/db", db.describe());
        assertEquals(Duration.ofSeconds(3), db.connectTimeout());
        assertEquals(5, db.poolMin());
        assertEquals(20, db.poolMax());
    }

    @Test
    void relativeDataDirBecomesAbsolute() {
        DatabaseSettings db = DatabaseSettings.from(Settings.of(Map.of()));
        String expected = Path.of("data")
                .toAbsolutePath()
                .normalize()
                .resolve("db")
                .resolve("ai_photo")
                .toString();
        assertTrue(db.jdbcUrl().startsWith("jdbc:h2:file:" + expected + ";"), db.jdbcUrl());
    }

    @Test
    void mysqlWhenDbHostIsSet() {
        DatabaseSettings db = DatabaseSettings.from(Settings.of(Map.of(
                "DB_HOST",
                "db.internal",
                "DB_PORT",
                "3307",
                "DB_USER",
                "app",
                "DB_PASSWORD",
                PASSWORD,
                "DB_NAME",
                "photos",
                "DB_CONNECT_TIMEOUT",
                "5s",
                "DB_PARAMS",
                "useSSL=false")));
        assertFalse(db.embedded());
        assertEquals(Optional.of("db.internal"), db.host());
        String url = db.jdbcUrl();
        assertTrue(url.startsWith("jdbc:mysql://db.internal:3307/photos?"), url);
        assertTrue(url.contains("connectTimeout=5000"), url);
        assertTrue(url.contains("connectionTimeZone=UTC"), url);
        assertTrue(url.endsWith("&useSSL=false"), url);
        assertTrue(db.serverUrl().startsWith("jdbc:mysql://db.internal:3307/?"), db.serverUrl());
        assertEquals("mysql://app@db.internal:3307/photos", db.describe());
        assertFalse(url.contains(PASSWORD));
    }

    @Test
    void mariadbDriverAndTheDefaultBounds() {
        DatabaseSettings db =
                DatabaseSettings.from(Settings.of(Map.of("DB_HOST", "db.internal", "DB_DRIVER", "MariaDB")));
        assertEquals(DatabaseSettings.Driver.MARIADB, db.driver());
        assertTrue(db.jdbcUrl().startsWith("jdbc:mariadb://db.internal:3306/ai_photo?"), db.jdbcUrl());
        assertTrue(db.jdbcUrl().contains("connectionTimeZone=UTC"), db.jdbcUrl());
        assertEquals(Duration.ofSeconds(5), db.queryTimeout());
        assertEquals(Duration.ofSeconds(3), db.lockWaitTimeout());
        assertEquals(Duration.ofSeconds(7), db.socketTimeout());
        assertEquals(
                DatabaseSettings.Driver.MYSQL,
                DatabaseSettings.from(Settings.of(Map.of())).driver(),
                "mysql-connector-j unless told otherwise (production runs MySQL 8)");
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                com.aiphoto.core.config.ConfigException.class,
                () -> DatabaseSettings.from(Settings.of(Map.of("DB_DRIVER", "postgres"))));
        assertEquals("DB_DRIVER must be mysql or mariadb, got 'postgres'", e.getMessage());
        assertEquals(1, DatabaseSettings.seconds(Duration.ofMillis(200)), "server variables take whole seconds");
        assertEquals(3, DatabaseSettings.seconds(Duration.ofMillis(2500)));
    }

    @Test
    void describeNeverContainsThePassword() {
        for (Map<String, String> env : List.of(
                Map.of("DB_PASSWORD", PASSWORD), Map.of("DB_HOST", "h", "DB_USER", "u", "DB_PASSWORD", PASSWORD))) {
            DatabaseSettings db = DatabaseSettings.from(Settings.of(env));
            assertEquals(PASSWORD, db.password());
            assertFalse(db.describe().contains(PASSWORD), db.describe());
            assertFalse(db.toString().contains(PASSWORD), "record toString: " + db);
        }
    }
}
