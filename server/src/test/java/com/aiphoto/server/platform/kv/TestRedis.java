package com.aiphoto.server.platform.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

/**
 * The Redis the suite runs against ({@code TEST_REDIS_HOST}, {@code TEST_REDIS_PORT}; default 127.0.0.1:6379).
 * Each test uses a random prefix and deletes its keys afterwards, so runs can repeat and share a Redis.
 */
public final class TestRedis {
    private TestRedis() {
    }

    static RedisSettings settings() {
        return new RedisSettings(env("TEST_REDIS_HOST", "127.0.0.1"), Integer.parseInt(env("TEST_REDIS_PORT", "6379")),
                Optional.empty(), 0, Duration.ofSeconds(2));
    }

    /** REDIS_* settings (env-style keys) for a server using this Redis under {@code prefix}. */
    public static java.util.Map<String, String> serverSettings(String prefix) {
        RedisSettings r = settings();
        return java.util.Map.of("REDIS_HOST", r.host(), "REDIS_PORT", Integer.toString(r.port()),
                "REDIS_PREFIX", prefix.endsWith(":") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }

    /** Nothing listens on port 1: connecting is refused at once. */
    static RedisSettings closedPort() {
        return new RedisSettings("127.0.0.1", 1, Optional.empty(), 0, Duration.ofMillis(500));
    }

    public static String randomPrefix() {
        return "aiphoto-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** SCAN + DEL of every key under {@code prefix}; returns how many were deleted. */
    public static long deleteByPrefix(String prefix) {
        try (RedisClientHolder redis = new RedisClientHolder(settings())) {
            return redis.call(c -> {
                long deleted = 0;
                ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(500);
                KeyScanCursor<String> cursor = c.scan(match);
                while (true) {
                    List<String> keys = new ArrayList<>(cursor.getKeys());
                    if (!keys.isEmpty()) {
                        deleted += c.del(keys.toArray(String[]::new));
                    }
                    if (cursor.isFinished()) {
                        return deleted;
                    }
                    cursor = c.scan(ScanCursor.of(cursor.getCursor()), match);
                }
            });
        }
    }

    private static String env(String key, String dflt) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? dflt : v;
    }
}
