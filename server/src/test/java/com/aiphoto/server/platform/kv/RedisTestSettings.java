package com.aiphoto.server.platform.kv;

import com.aiphoto.testing.TestRedis;
import java.time.Duration;
import java.util.Optional;

/** The test Redis (see {@link TestRedis}) as the server's own settings type, and a Redis that is not there. */
final class RedisTestSettings {
    private RedisTestSettings() {}

    static RedisSettings settings() {
        return new RedisSettings(TestRedis.host(), TestRedis.port(), Optional.empty(), 0, Duration.ofSeconds(2));
    }

    /** Nothing listens on port 1: connecting is refused at once. */
    static RedisSettings closedPort() {
        return new RedisSettings("127.0.0.1", 1, Optional.empty(), 0, Duration.ofMillis(500));
    }
}
