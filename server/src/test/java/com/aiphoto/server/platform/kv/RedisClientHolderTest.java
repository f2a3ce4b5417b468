package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisClientHolderTest {

    @Test
    void settingsComeFromTheEnvironmentNames() {
        assertEquals(Optional.empty(), RedisSettings.from(Settings.of(Map.of())));
        RedisSettings s = RedisSettings.from(
                        Settings.of(Map.of("REDIS_HOST", "redis.local", "REDIS_PASSWORD", "pw", "REDIS_DB", "3")))
                .orElseThrow();
        assertEquals(new RedisSettings("redis.local", 6379, Optional.of("pw"), 3, Duration.ofSeconds(2)), s);
        assertFalse(s.toString().contains("pw"), "the password is never printed");
    }

    @Test
    void pingsALiveRedis() {
        try (RedisClientHolder redis = new RedisClientHolder(RedisTestSettings.settings())) {
            assertTrue(redis.ping());
        }
    }

    @Test
    void redisDownFailsFastWithoutHanging() {
        try (RedisClientHolder down = new RedisClientHolder(RedisTestSettings.closedPort())) {
            long start = System.nanoTime();
            assertFalse(down.ping());
            assertThrows(KvUnavailableException.class, () -> down.call(RedisCommands::ping));
            assertThrows(KvUnavailableException.class, () -> down.call(RedisCommands::ping), "during the back-off");
            assertFalse(down.ping());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(1)) < 0);
        }
    }

    @Test
    void closedHolderRefusesCalls() {
        RedisClientHolder redis = new RedisClientHolder(RedisTestSettings.settings());
        redis.close();
        redis.close();
        assertThrows(KvUnavailableException.class, () -> redis.call(RedisCommands::ping));
        assertFalse(redis.ping());
    }
}
