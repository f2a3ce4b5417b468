package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisKeyValueStoreTest extends KeyValueStoreContract {
    private final String prefix = TestRedis.randomPrefix();
    private final RedisClientHolder redis = new RedisClientHolder(RedisTestSettings.settings());

    @Override
    KeyValueStore newStore() {
        return new RedisKeyValueStore(redis, prefix);
    }

    @AfterEach
    void cleanUp() {
        redis.close();
        TestRedis.deleteByPrefix(prefix);
    }

    @Test
    void keysAreNamespacedAndCarryTheirTtl() {
        store.put("a", "1", LONG);
        store.increment("n", LONG);
        assertEquals("1", redis.call(c -> c.get(prefix + "a")));
        long pttl = redis.call(c -> c.pttl(prefix + "n"));
        assertTrue(pttl > 0 && pttl <= LONG.toMillis(), "pttl " + pttl);
    }
}
