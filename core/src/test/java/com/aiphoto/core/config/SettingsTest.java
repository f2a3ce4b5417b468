package com.aiphoto.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    private Path envFile(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines));
        return f;
    }

    private Settings load(Map<String, String> env, String... fileLines) throws IOException {
        return Settings.load(env, envFile(".env", fileLines), List.of());
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        Settings s = Settings.of(Map.of());
        assertEquals(3000, s.integer("PORT"));
        assertEquals(5, s.integer("DB_POOL_MIN"));
        assertEquals(20, s.integer("DB_POOL_MAX"));
        assertEquals("ai_photo", s.get("DB_NAME"));
        assertEquals(Duration.ofHours(2), s.duration("JWT_EXPIRES_IN"));
        assertEquals(1024 * 1024, s.bytes("MAX_JSON_BODY"));
        assertEquals(AppEnv.DEVELOPMENT, s.appEnv());
        assertFalse(s.has("DB_HOST"));
        assertEquals(Optional.of(Settings.Source.DEFAULT), s.source("PORT"));
        assertEquals(Optional.empty(), s.envFile());
    }

    @Test
    void envFileOverridesDefaultAndEnvironmentOverridesEnvFile() throws IOException {
        Settings s = load(Map.of("LOG_LEVEL", "warn"), "PORT=3100", "LOG_LEVEL=debug");
        assertEquals(3100, s.integer("PORT"));
        assertEquals(Optional.of(Settings.Source.ENV_FILE), s.source("PORT"));
        assertEquals("warn", s.get("LOG_LEVEL"));
        assertEquals(Optional.of(Settings.Source.ENVIRONMENT), s.source("LOG_LEVEL"));
        assertEquals(Optional.of(dir.resolve(".env")), s.envFile());
    }

    @Test
    void aliasesMapToCanonicalNames() {
        Settings s = Settings.of(Map.of("NODE_ENV", "production", "DATABASE_POOL_MIN", "2", "DATABASE_POOL_MAX", "9"));
        assertEquals(AppEnv.PRODUCTION, s.appEnv());
        assertTrue(s.isProduction());
        assertEquals(2, s.integer("DB_POOL_MIN"));
        assertEquals(9, s.integer("DB_POOL_MAX"));
    }

    @Test
    void canonicalNameWinsOverAliasInTheSameLayer() throws IOException {
        assertEquals(
                "test",
                Settings.of(Map.of("NODE_ENV", "production", "APP_ENV", "test")).get("APP_ENV"));
        Settings s = load(Map.of(), "DB_POOL_MAX=30", "DATABASE_POOL_MAX=40", "APP_ENV=test", "NODE_ENV=production");
        assertEquals(30, s.integer("DB_POOL_MAX"));
        assertEquals(AppEnv.TEST, s.appEnv());
    }

    @Test
    void environmentAliasBeatsEnvFileCanonicalName() throws IOException {
        Settings s = load(
                Map.of("NODE_ENV", "production", "DATABASE_POOL_MIN", "3"), "APP_ENV=development", "DB_POOL_MIN=7");
        assertEquals(AppEnv.PRODUCTION, s.appEnv());
        assertEquals(3, s.integer("DB_POOL_MIN"));
        assertEquals(Optional.of(Settings.Source.ENVIRONMENT), s.source("DB_POOL_MIN"));
    }

    @Test
    void blankValueCountsAsUnset() throws IOException {
        Settings s = load(Map.of("REDIS_HOST", " "), "DB_HOST=", "REDIS_HOST=redis", "PORT=");
        assertFalse(s.has("DB_HOST"));
        assertFalse(s.has("REDIS_HOST"), "a blank environment value unsets the file's value");
        // blank means unset, so a key with a default keeps it instead of disappearing
        assertEquals(3000, s.integer("PORT"));
        assertEquals(Optional.of(Settings.Source.DEFAULT), s.source("PORT"));
    }

    @Test
    void valuesAreTrimmed() {
        assertEquals(3300, Settings.of(Map.of("PORT", " 3300 ")).integer("PORT"));
    }

    @Test
    void withAppliesOverridesAndBlankRemoves() {
        Settings s = Settings.of(Map.of("DB_HOST", "db")).with(Map.of("DB_HOST", "", "PORT", "4000"));
        assertFalse(s.has("DB_HOST"));
        assertEquals(4000, s.integer("PORT"));
        assertEquals(Optional.of(Settings.Source.OVERRIDE), s.source("PORT"));
    }

    @Test
    void explicitEnvFileMustExist() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> Settings.load(Map.of(), dir.resolve("missing.env"), List.of()));
        assertTrue(e.getMessage().contains("missing.env"), e.getMessage());
    }

    @Test
    void explicitEnvFileWinsOverAiPhotoEnvFile() throws IOException {
        Path explicit = envFile("explicit.env", "PORT=3201");
        Path named = envFile("named.env", "PORT=3202");
        Settings s = Settings.load(Map.of("AI_PHOTO_ENV_FILE", named.toString()), explicit, List.of());
        assertEquals(3201, s.integer("PORT"));
    }

    @Test
    void aiPhotoEnvFileIsUsed() throws IOException {
        Path named = envFile("named.env", "PORT=3202");
        Path fallback = envFile("fallback.env", "PORT=3203");
        Settings s = Settings.load(Map.of("AI_PHOTO_ENV_FILE", named.toString()), null, List.of(fallback));
        assertEquals(3202, s.integer("PORT"));
        assertEquals(Optional.of(named), s.envFile());
        assertThrows(
                ConfigException.class,
                () -> Settings.load(
                        Map.of("AI_PHOTO_ENV_FILE", dir.resolve("nope.env").toString()), null, List.of(fallback)));
    }

    @Test
    void firstExistingFallbackIsUsed() throws IOException {
        Path second = envFile("second.env", "PORT=3302");
        Path third = envFile("third.env", "PORT=3303");
        Settings s = Settings.load(Map.of(), null, List.of(dir.resolve("first.env"), second, third));
        assertEquals(3302, s.integer("PORT"));
        assertEquals(Optional.of(second), s.envFile());
        assertEquals(
                Optional.empty(),
                Settings.load(Map.of(), null, List.of(dir.resolve("x.env"))).envFile());
    }

    @Test
    void durationsAndSizes() {
        Settings s = Settings.of(Map.of(
                "A", "2h", "B", "7d", "C", "30s", "D", "90", "E", "1MiB", "F", "50MB", "G", "250ms", "H", "5m", "I",
                "512", "J", "2 GB"));
        assertEquals(Duration.ofHours(2), s.duration("A"));
        assertEquals(Duration.ofDays(7), s.duration("B"));
        assertEquals(Duration.ofSeconds(30), s.duration("C"));
        assertEquals(Duration.ofSeconds(90), s.duration("D"));
        assertEquals(1024L * 1024, s.bytes("E"));
        assertEquals(50L * 1024 * 1024, s.bytes("F"));
        assertEquals(Duration.ofMillis(250), s.duration("G"));
        assertEquals(Duration.ofMinutes(5), s.duration("H"));
        assertEquals(512L, s.bytes("I"));
        assertEquals(2L * 1024 * 1024 * 1024, s.bytes("J"));
    }

    @Test
    void badNumbersDurationsAndSizesAreConfigExceptions() {
        Settings s = Settings.of(Map.of(
                "PORT",
                "30x",
                "JWT_EXPIRES_IN",
                "2 hours",
                "MAX_JSON_BODY",
                "1TB",
                "A",
                "99999999999999999999",
                "B",
                "999999999999999d",
                "C",
                "99999999999GB"));
        assertThrows(ConfigException.class, () -> s.integer("PORT"));
        assertThrows(ConfigException.class, () -> s.duration("JWT_EXPIRES_IN"));
        assertThrows(ConfigException.class, () -> s.bytes("MAX_JSON_BODY"));
        assertThrows(ConfigException.class, () -> s.get("NOT_THERE"));
        // out-of-range numbers are reported like any other bad value, not as a NumberFormatException
        assertThrows(ConfigException.class, () -> s.duration("A"));
        assertThrows(ConfigException.class, () -> s.duration("B"));
        assertThrows(ConfigException.class, () -> s.bytes("C"));
        assertEquals(Optional.empty(), Units.bytes("-1"));
    }
}
