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

    private ProductionConfig() {}

    static final String TENCENT_SECRET_KEY = "Tc-Secret-Key-8f2a61d0b9";

    static Map<String, String> values() {
        Map<String, String> values = Map.ofEntries(
                Map.entry("APP_ENV", "production"),
                Map.entry("DB_HOST", "db.internal"),
                Map.entry("DB_USER", "aiphoto"),
                Map.entry("DB_PASSWORD", DB_PASSWORD),
                Map.entry("REDIS_HOST", "redis.internal"),
                Map.entry("JWT_SECRET", JWT_SECRET),
                Map.entry("INTERNAL_CALLBACK_SECRET", CALLBACK_SECRET),
                Map.entry("CREDENTIALS_ENCRYPTION_KEY", ENCRYPTION_KEY),
                Map.entry("API_DOMAIN", "https://photo.example.com"),
                Map.entry("TENCENT_SECRET_ID", "AKIDexample0123"),
                Map.entry("TENCENT_SECRET_KEY", TENCENT_SECRET_KEY),
                Map.entry("SMS_SDK_APP_ID", "1400000000"),
                Map.entry("SMS_SIGN_NAME", "AiPhoto"),
                Map.entry("SMS_TEMPLATE_ID", "100001"));
        com.aiphoto.core.testing.ConfiguredSecrets.register(values);
        return values;
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
