package com.aiphoto.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Redis the suite runs against ({@code TEST_REDIS_HOST}, {@code TEST_REDIS_PORT}; default 127.0.0.1:6379).
 * Each test uses a random key prefix and deletes its keys afterwards, so runs can repeat and share a Redis.
 */
public final class TestRedis {
    private TestRedis() {}

    public static String host() {
        return env("TEST_REDIS_HOST", "127.0.0.1");
    }

    public static int port() {
        return Integer.parseInt(env("TEST_REDIS_PORT", "6379"));
    }

    /** A fresh prefix {@code aiphoto-test:<random>:}. */
    public static String randomPrefix() {
        return "aiphoto-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** REDIS_* settings (env-style keys) for a server using this Redis under {@code prefix}. */
    public static Map<String, String> serverSettings(String prefix) {
        return Map.of(
                "REDIS_HOST",
                host(),
                "REDIS_PORT",
                Integer.toString(port()),
                "REDIS_PREFIX",
                prefix.endsWith(":") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }

    /** SCAN + DEL of every key under {@code prefix}; returns how many were deleted. */
    public static long deleteByPrefix(String prefix) {
        RedisClient client = RedisClient.create(RedisURI.create(host(), port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> c = connection.sync();
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
        } finally {
            client.shutdown();
        }
    }

    private static String env(String key, String dflt) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? dflt : v;
    }
}
