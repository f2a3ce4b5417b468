package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

class TestRedisTest {
    @Test
    void deleteByPrefixRemovesOnlyThatPrefixsKeys() {
        String mine = TestRedis.randomPrefix();
        String other = TestRedis.randomPrefix();
        assertNotEquals(mine, other);
        assertTrue(mine.matches("aiphoto-test:[0-9a-f]{8}:"), mine);
        RedisClient client = RedisClient.create(RedisURI.create(TestRedis.host(), TestRedis.port()));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> c = conn.sync();
            for (int i = 0; i < 1200; i++) { // more than one SCAN page
                c.set(mine + i, "v");
            }
            c.set(other + "keep", "v");
            assertEquals(1200, TestRedis.deleteByPrefix(mine));
            assertEquals(0, c.keys(mine + "*").size());
            assertEquals("v", c.get(other + "keep"));
            assertEquals(1, TestRedis.deleteByPrefix(other));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void serverSettingsCarryThePrefixWithoutItsTrailingColon() {
        assertEquals(
                "aiphoto-test:abc",
                TestRedis.serverSettings("aiphoto-test:abc:").get("REDIS_PREFIX"));
        assertEquals(
                Integer.toString(TestRedis.port()),
                TestRedis.serverSettings("p").get("REDIS_PORT"));
    }
}
