package com.aiphoto.server.platform.kv;

import java.time.Duration;

/** A counter that expires a fixed time after its first increment: the one primitive a fixed-window limit needs. */
interface WindowCounter {

    /** Adds one atomically; the TTL is set only when the key is created (or has none). */
    Count incrementCount(String key, Duration ttl);

    /** Takes one back if the key still exists and is above zero; its TTL is kept (the window does not move). */
    void decrementCount(String key);

    /** The count after the increment and how long until the key expires. */
    record Count(long value, Duration expiresIn) {}

    static long ttlMillis(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        return Math.max(1, ttl.toMillis());
    }
}
