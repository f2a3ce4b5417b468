package com.aiphoto.server.platform.kv;

import java.time.Duration;

/**
 * Fixed windows over a {@link WindowCounter}: each attempt increments the key's counter, whose TTL is the window,
 * and is allowed while the count is within the limit. The increment is atomic (one Lua script on Redis, one map
 * update in process), so the limit holds exactly under concurrency and across instances sharing the counter.
 * A burst at a window boundary can reach twice the limit; that is the price of one key and one round trip.
 */
final class FixedWindowRateLimiter implements RateLimiter {
    private final WindowCounter counter;

    FixedWindowRateLimiter(WindowCounter counter) {
        this.counter = counter;
    }

    @Override
    public Decision tryAcquire(String key, int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        WindowCounter.Count count = counter.incrementCount(key, window);
        boolean allowed = count.value() <= limit;
        return new Decision(allowed, Math.max(0, limit - count.value()), allowed ? Duration.ZERO : count.expiresIn());
    }

    @Override
    public void release(String key) {
        counter.decrementCount(key);
    }
}
