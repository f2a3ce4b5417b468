package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.testing.TestRedis;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The signalling and the subscribing side each have their own client, as two server instances would. */
class RedisWakeupSignalTest extends WakeupSignalContract {
    private final String prefix = TestRedis.randomPrefix();
    private final RedisClientHolder redis = new RedisClientHolder(RedisTestSettings.settings());
    private final RedisClientHolder otherRedis = new RedisClientHolder(RedisTestSettings.settings());
    private final RedisWakeupSignal other = new RedisWakeupSignal(otherRedis, prefix);

    @Override
    WakeupSignal newSignal() {
        return new RedisWakeupSignal(redis, prefix);
    }

    @Override
    WakeupSignal peer() {
        return other;
    }

    @AfterEach
    void cleanUp() {
        ((RedisWakeupSignal) signals).close();
        other.close();
        redis.close();
        otherRedis.close();
    }

    @Test
    void otherPrefixesDoNotHear() throws Exception {
        Semaphore stray = new Semaphore(0);
        Semaphore mine = new Semaphore(0);
        try (RedisWakeupSignal foreign = new RedisWakeupSignal(otherRedis, TestRedis.randomPrefix());
                WakeupSignal.Subscription a = foreign.subscribe("tasks", stray::release);
                WakeupSignal.Subscription b = other.subscribe("tasks", mine::release)) {
            signals.signal("tasks");
            assertTrue(await(mine));
        }
        assertEquals(0, stray.availablePermits());
    }

    @Test
    void redisDownLosesSignalsButNeverThrows() {
        try (RedisClientHolder down = new RedisClientHolder(RedisTestSettings.closedPort());
                RedisWakeupSignal s = new RedisWakeupSignal(down, prefix)) {
            WakeupSignal.Subscription sub = s.subscribe("tasks", () -> {});
            s.signal("tasks");
            sub.close();
        }
    }
}
