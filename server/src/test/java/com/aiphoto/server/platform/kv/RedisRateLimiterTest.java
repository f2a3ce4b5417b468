package com.aiphoto.server.platform.kv;

import com.aiphoto.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;

/** Two limiters on separate clients and connections share one prefix, as two server instances would. */
class RedisRateLimiterTest extends RateLimiterContract {
    private final String prefix = TestRedis.randomPrefix();
    private final RedisClientHolder redis = new RedisClientHolder(RedisTestSettings.settings());
    private final RedisClientHolder otherRedis = new RedisClientHolder(RedisTestSettings.settings());

    @Override
    RateLimiter newLimiter() {
        return new FixedWindowRateLimiter(new RedisKeyValueStore(redis, prefix));
    }

    @Override
    RateLimiter peer() {
        return new FixedWindowRateLimiter(new RedisKeyValueStore(otherRedis, prefix));
    }

    @AfterEach
    void cleanUp() {
        redis.close();
        otherRedis.close();
        TestRedis.deleteByPrefix(prefix);
    }
}
