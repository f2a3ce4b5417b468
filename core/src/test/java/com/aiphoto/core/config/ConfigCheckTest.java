package com.aiphoto.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    /** Checks {@code s} and asserts exactly one problem, containing every fragment. */
    private static ConfigCheck.Report refuses(Settings s, String... fragments) {
        ConfigCheck.Report r = ConfigCheck.check(s);
        assertEquals(1, r.problems().size(), () -> "problems: " + r.problems());
        for (String f : fragments) {
            assertTrue(r.problems().getFirst().contains(f), () -> "expected '" + f + "' in " + r.problems());
        }
        return r;
    }

    private static ConfigCheck.Report refuses(String key, String value, String... fragments) {
        return refuses(ProductionConfig.with(key, value), fragments);
    }

    @Test
    void strongProductionConfigPasses() {
        ConfigCheck.Report r = ConfigCheck.require(ProductionConfig.with());
        assertTrue(r.ok());
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void developmentDefaultsPass() {
        ConfigCheck.Report r = ConfigCheck.check(Settings.of(Map.of()));
        assertEquals(List.of(), r.problems());
    }

    @Test
    void missingDbHost() {
        refuses("DB_HOST", "", "DB_HOST", "production");
    }

    @Test
    void missingDbUser() {
        refuses("DB_USER", "", "DB_USER");
    }

    @Test
    void missingDbPassword() {
        refuses("DB_PASSWORD", "", "DB_PASSWORD");
    }

    @Test
    void missingRedisHost() {
        refuses("REDIS_HOST", "", "REDIS_HOST");
    }

    @Test
    void jwtSecretMissing() {
        refuses("JWT_SECRET", "", "JWT_SECRET", "required");
    }

    @Test
    void jwtSecretPlaceholder() {
        refuses("JWT_SECRET", "your_jwt_secret", "JWT_SECRET", "placeholder");
        refuses("JWT_SECRET", "changeme", "JWT_SECRET", "placeholder");
    }

    @Test
    void jwtSecretTooShort() {
        refuses("JWT_SECRET", "Sh0rt-but-random-9XkQ", "JWT_SECRET", "too short");
        refuses("JWT_SECRET", jwt31(), "JWT_SECRET", "too short");
    }

    @Test
    void jwtSecretWeak() {
        refuses("JWT_SECRET", "a".repeat(32), "JWT_SECRET", "weak");
    }

    @Test
    void weakSecretsKeysPasswordsAndLifetimesAreRefusedInProduction() {
        // issue 8 #6: each of these passed the production check
        refuses("JWT_SECRET", "abcdefghijabcdefghijabcdefghijab", "JWT_SECRET", "weak");
        refuses("INTERNAL_CALLBACK_SECRET", "0123456789012345678901234567890123", "INTERNAL_CALLBACK_SECRET", "weak");
        refuses("JWT_SECRET", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", "JWT_SECRET", "weak");
        refuses("CREDENTIALS_ENCRYPTION_KEY", "0".repeat(64), "CREDENTIALS_ENCRYPTION_KEY", "weak");
        refuses(
                "CREDENTIALS_ENCRYPTION_KEY",
                java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "CREDENTIALS_ENCRYPTION_KEY",
                "weak");
        refuses("DB_PASSWORD", "1", "DB_PASSWORD", "at least");
        refuses("REDIS_PASSWORD", "redis", "REDIS_PASSWORD", "at least");
        refuses("JWT_EXPIRES_IN", "36500d", "JWT_EXPIRES_IN", "between");
        refuses("JWT_EXPIRES_IN", "0", "JWT_EXPIRES_IN", "between");
        refuses("REFRESH_TOKEN_DAYS", "3650", "REFRESH_TOKEN_DAYS");
        refuses("BCRYPT_MAX_CONCURRENT", "0", "BCRYPT_MAX_CONCURRENT");
        refuses("AUTH_IP_PER_MINUTE", "0", "AUTH_IP_PER_MINUTE");
        refuses("SMS_DAILY_BUDGET", "none", "SMS_DAILY_BUDGET");
        refuses("CORS_ORIGINS", "https://app.example.com,*", "CORS_ORIGINS", "'*'");
        refuses("CORS_ORIGINS", "https://app.example.com/path", "CORS_ORIGINS");
        // published defaults (jwt.io's sample key, Supabase's .env.example): long and varied, yet public
        refuses("JWT_SECRET", "your-256-bit-secret", "JWT_SECRET");
        refuses("JWT_SECRET", "super-secret-jwt-token-with-at-least-32-characters-long", "JWT_SECRET", "published");
    }

    @Test
    void callbackSecretMissing() {
        refuses("INTERNAL_CALLBACK_SECRET", "", "INTERNAL_CALLBACK_SECRET", "required");
    }

    @Test
    void callbackSecretTooShortPlaceholderOrWeak() {
        refuses("INTERNAL_CALLBACK_SECRET", "0123456789", "INTERNAL_CALLBACK_SECRET", "too short");
        refuses("INTERNAL_CALLBACK_SECRET", "your_callback_secret", "INTERNAL_CALLBACK_SECRET", "placeholder");
        refuses("INTERNAL_CALLBACK_SECRET", "ab".repeat(20), "INTERNAL_CALLBACK_SECRET", "weak");
    }

    @Test
    void encryptionKeyMissing() {
        refuses("CREDENTIALS_ENCRYPTION_KEY", "", "CREDENTIALS_ENCRYPTION_KEY", "required");
    }

    @Test
    void encryptionKeyNot32Bytes() {
        String b64of16 = Base64.getEncoder().encodeToString(new byte[16]);
        refuses("CREDENTIALS_ENCRYPTION_KEY", b64of16, "CREDENTIALS_ENCRYPTION_KEY", "32 bytes");
        refuses("CREDENTIALS_ENCRYPTION_KEY", "abcdef0123", "CREDENTIALS_ENCRYPTION_KEY", "32 bytes");
        refuses("CREDENTIALS_ENCRYPTION_KEY", "f".repeat(63), "CREDENTIALS_ENCRYPTION_KEY", "32 bytes");
    }

    @Test
    void encryptionKeyAsBase64OrHexIsAccepted() {
        String hex = HexFormat.of().formatHex(ProductionConfig.key32());
        for (String key : List.of(ProductionConfig.ENCRYPTION_KEY, hex, hex.toUpperCase(Locale.ROOT))) {
            ConfigCheck.Report r = ConfigCheck.check(ProductionConfig.with("CREDENTIALS_ENCRYPTION_KEY", key));
            assertTrue(r.ok(), () -> key + ": " + r.problems());
            assertEquals(32, ConfigCheck.decodeKey32(key).orElseThrow().length);
        }
    }

    @Test
    void placeholderInOtherVariableIsAProblemInProduction() {
        refuses("WECHAT_API_KEY", "your_wechat_key", "WECHAT_API_KEY", "placeholder");
    }

    @Test
    void placeholderInOtherVariableIsOnlyAWarningInDevelopment() {
        ConfigCheck.Report r =
                ConfigCheck.check(Settings.of(Map.of("WECHAT_API_KEY", "your_wechat_key", "JWT_SECRET", "changeme")));
        assertEquals(List.of(), r.problems());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("WECHAT_API_KEY ")), r.warnings()::toString);
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("JWT_SECRET ")), r.warnings()::toString);
        assertEquals(2, r.warnings().size(), r.warnings()::toString);
    }

    @Test
    void smsSettingsAreRequiredInProduction() {
        refuses("SMS_TEMPLATE_ID", "", "SMS_TEMPLATE_ID is required in production");
        refuses("TENCENT_SECRET_KEY", "", "TENCENT_SECRET_KEY is required in production");
    }

    @Test
    void bcryptCostBelowTenIsRefused() {
        refuses("BCRYPT_COST", "8", "BCRYPT_COST");
    }

    @Test
    void unrelatedEnvironmentVariablesAreNotCheckedForPlaceholders() {
        ConfigCheck.Report r = ConfigCheck.check(ProductionConfig.with("SOME_OTHER_TOOL_TOKEN", "todo"));
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void badIntegerPort() {
        refuses("PORT", "30o0", "PORT", "integer");
    }

    @Test
    void portOutOfRange() {
        refuses("PORT", "70000", "PORT", "between");
        refuses("ADMIN_PORT", "0", "ADMIN_PORT", "between");
    }

    @Test
    void poolMinAbovePoolMax() {
        refuses(ProductionConfig.with("DB_POOL_MIN", "30", "DB_POOL_MAX", "10"), "DB_POOL_MIN", "DB_POOL_MAX");
    }

    @Test
    void badDuration() {
        refuses("JWT_EXPIRES_IN", "2 hours", "JWT_EXPIRES_IN", "duration");
        refuses("DB_CONNECT_TIMEOUT", "99999999999999999999", "DB_CONNECT_TIMEOUT", "duration");
        refuses("DB_QUERY_TIMEOUT", "soon", "DB_QUERY_TIMEOUT", "duration");
        refuses("DB_SOCKET_TIMEOUT", "fast", "DB_SOCKET_TIMEOUT", "duration");
        refuses("REFRESH_GRACE_PERIOD", "a while", "REFRESH_GRACE_PERIOD", "duration");
        refuses("REFRESH_GRACE_PERIOD", "1h", "REFRESH_GRACE_PERIOD", "at most 5m");
    }

    @Test
    void socketTimeoutNotAboveTheQueryTimeoutIsWarnedAbout() {
        ConfigCheck.Report r =
                ConfigCheck.check(ProductionConfig.with("DB_QUERY_TIMEOUT", "10s", "DB_SOCKET_TIMEOUT", "10s"));
        assertEquals(List.of(), r.problems());
        assertTrue(
                r.warnings().stream().anyMatch(w -> w.startsWith("DB_SOCKET_TIMEOUT (10s) should exceed")),
                r.warnings()::toString);
        assertTrue(
                ConfigCheck.check(ProductionConfig.with()).warnings().stream()
                        .noneMatch(w -> w.startsWith("DB_SOCKET_TIMEOUT")),
                "the defaults are consistent");
    }

    @Test
    void unknownDriver() {
        refuses("DB_DRIVER", "postgres", "DB_DRIVER", "mysql or mariadb");
    }

    @Test
    void badSize() {
        refuses("MAX_JSON_BODY", "lots", "MAX_JSON_BODY", "size");
    }

    @Test
    void badApiDomainUrl() {
        refuses("API_DOMAIN", "photo.example.com", "API_DOMAIN", "URL");
        refuses("API_DOMAIN", "ftp://photo.example.com", "API_DOMAIN", "URL");
    }

    @Test
    void badTrustedProxies() {
        refuses("TRUSTED_PROXIES", "127.0.0.1/32,10.0.0.0/33", "TRUSTED_PROXIES");
        refuses("TRUSTED_PROXIES", "proxy.internal", "TRUSTED_PROXIES");
    }

    @Test
    void invalidAppEnv() {
        refuses(Settings.of(Map.of("APP_ENV", "staging")), "APP_ENV", "staging");
    }

    @Test
    void badLogLevel() {
        refuses("LOG_LEVEL", "verbose", "LOG_LEVEL");
    }

    @Test
    void listsEveryProblemAtOnce() {
        Settings s = ProductionConfig.with(
                "DB_HOST",
                "",
                "REDIS_HOST",
                "",
                "JWT_SECRET",
                "changeme",
                "INTERNAL_CALLBACK_SECRET",
                "short",
                "CREDENTIALS_ENCRYPTION_KEY",
                "",
                "PORT",
                "x",
                "DB_POOL_MIN",
                "50",
                "DB_POOL_MAX",
                "10",
                "API_DOMAIN",
                "nope",
                "WECHAT_API_KEY",
                "your_wechat_key");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigCheck.require(s));
        List<String> problems = e.problems();
        for (String key : List.of(
                "DB_HOST",
                "REDIS_HOST",
                "JWT_SECRET",
                "INTERNAL_CALLBACK_SECRET",
                "CREDENTIALS_ENCRYPTION_KEY",
                "PORT",
                "DB_POOL_MIN",
                "API_DOMAIN",
                "WECHAT_API_KEY")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(key)), () -> key + " missing from " + problems);
        }
        assertEquals(9, problems.size(), problems::toString);
        assertEquals(String.join("\n", problems), e.getMessage());
    }

    @Test
    void noProblemOrWarningRevealsASecret() {
        String weak = "s3cr3t-".repeat(5);
        String shortSecret = "Tiny-S3cret-Value";
        String badKey = "Not-A-Valid-Key-Value-123";
        List<Settings> configs = List.of(
                ProductionConfig.with(
                        "JWT_SECRET",
                        shortSecret,
                        "INTERNAL_CALLBACK_SECRET",
                        weak,
                        "CREDENTIALS_ENCRYPTION_KEY",
                        badKey,
                        "DB_PASSWORD",
                        "changeme-please",
                        "WECHAT_APP_SECRET",
                        "your_app_secret",
                        "REDIS_HOST",
                        ""),
                Settings.of(Map.of(
                        "JWT_SECRET",
                        shortSecret,
                        "INTERNAL_CALLBACK_SECRET",
                        weak,
                        "CREDENTIALS_ENCRYPTION_KEY",
                        badKey,
                        "WECHAT_APP_SECRET",
                        "your_app_secret")));
        for (Settings s : configs) {
            ConfigCheck.Report r = ConfigCheck.check(s);
            assertFalse(r.problems().isEmpty() && r.warnings().isEmpty());
            Stream.concat(r.problems().stream(), r.warnings().stream()).forEach(text -> {
                for (String secret : List.of(
                        shortSecret,
                        weak,
                        badKey,
                        "changeme-please",
                        "your_app_secret",
                        ProductionConfig.JWT_SECRET,
                        ProductionConfig.CALLBACK_SECRET,
                        ProductionConfig.DB_PASSWORD,
                        ProductionConfig.ENCRYPTION_KEY)) {
                    assertFalse(text.contains(secret), () -> "'" + text + "' reveals a secret");
                }
            });
        }
    }

    @Test
    void secretKeysAreRecognised() {
        for (String k : List.of(
                "JWT_SECRET",
                "DB_PASSWORD",
                "REDIS_PASSWORD",
                "CREDENTIALS_ENCRYPTION_KEY",
                "WECHAT_API_KEY",
                "TENCENT_SECRET_KEY",
                "RUNNINGHUB_API_KEY")) {
            assertTrue(ConfigCheck.isSecretKey(k), k);
        }
        assertFalse(ConfigCheck.isSecretKey("DB_HOST"));
    }

    private static String jwt31() {
        return ProductionConfig.JWT_SECRET.substring(0, 31);
    }
}
