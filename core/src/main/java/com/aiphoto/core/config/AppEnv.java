package com.aiphoto.core.config;

import java.util.Locale;
import java.util.Optional;

/** {@code APP_ENV} (alias {@code NODE_ENV}). */
public enum AppEnv {
    DEVELOPMENT,
    TEST,
    PRODUCTION;

    public static Optional<AppEnv> parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "development", "dev" -> Optional.of(DEVELOPMENT);
            case "test" -> Optional.of(TEST);
            case "production", "prod" -> Optional.of(PRODUCTION);
            default -> Optional.empty();
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
