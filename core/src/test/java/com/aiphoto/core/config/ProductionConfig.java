package com.aiphoto.core.config;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A complete, strong production configuration for tests, and variants of it. */
final class ProductionConfig {
    static final String JWT_SECRET = "q7Vn2Lr8Xw4Kp1Zt6Hs9Bc3Jm5Fd0GyUeRaToWiQ";
    static final String CALLBACK_SECRET = "Zx8Cv7Bn6Mq5Wl4Ek3Rj2Ty1Ui0OpAsDfGhJkLz";
    static final String DB_PASSWORD = "Db-Pa55w0rd-4e1f9c";
    static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString(key32());

    private ProductionConfig() {
    }

    static Map<String, String> values() {
        return Map.of("APP_ENV", "production", "DB_HOST", "db.internal", "DB_USER", "aiphoto",
                "DB_PASSWORD", DB_PASSWORD, "REDIS_HOST", "redis.internal", "JWT_SECRET", JWT_SECRET,
                "INTERNAL_CALLBACK_SECRET", CALLBACK_SECRET, "CREDENTIALS_ENCRYPTION_KEY", ENCRYPTION_KEY,
                "API_DOMAIN", "https://photo.example.com");
    }

    /** The production config with {@code keyValues} (pairs) applied; a blank value unsets the key. */
    static Settings with(String... keyValues) {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return Settings.of(values()).with(overrides);
    }

    static byte[] key32() {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        return b;
    }
}
