package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aiphoto.core.config.Settings;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {
    private static final String PASSWORD = "Sup3r-S3cret-Pw";

    @Test
    void embeddedWithoutDbHost() {
        DatabaseSettings db = DatabaseSettings.from(Settings.of(Map.of("DATA_DIR", "/srv/ai-photo/data",
                "DB_PASSWORD", PASSWORD)));
        assertTrue(db.embedded());
        assertEquals("jdbc:h2:file:/srv/ai-photo/data/db/ai_photo;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH", db.jdbcUrl());
        assertEquals("embedded H2 at /srv/ai-photo/data/db", db.describe());
        assertEquals(Duration.ofSeconds(3), db.connectTimeout());
        assertEquals(5, db.poolMin());
        assertEquals(20, db.poolMax());
    }

    @Test
    void relativeDataDirBecomesAbsolute() {
        DatabaseSettings db = DatabaseSettings.from(Settings.of(Map.of()));
        String expected = Path.of("data").toAbsolutePath().normalize().resolve("db").resolve("ai_photo").toString();
        assertTrue(db.jdbcUrl().startsWith("jdbc:h2:file:" + expected + ";"), db.jdbcUrl());
    }

    @Test
    void mysqlWhenDbHostIsSet() {
        DatabaseSettings db = DatabaseSettings.from(Settings.of(Map.of("DB_HOST", "db.internal", "DB_PORT", "3307",
                "DB_USER", "app", "DB_PASSWORD", PASSWORD, "DB_NAME", "photos", "DB_CONNECT_TIMEOUT", "5s",
                "DB_PARAMS", "useSSL=false")));
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
    void describeNeverContainsThePassword() {
        for (Map<String, String> env : List.of(Map.of("DB_PASSWORD", PASSWORD),
                Map.of("DB_HOST", "h", "DB_USER", "u", "DB_PASSWORD", PASSWORD))) {
            DatabaseSettings db = DatabaseSettings.from(Settings.of(env));
            assertEquals(PASSWORD, db.password());
            assertFalse(db.describe().contains(PASSWORD), db.describe());
            assertFalse(db.toString().contains(PASSWORD), "record toString: " + db);
        }
    }
}
