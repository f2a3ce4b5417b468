package com.aiphoto.server.platform.kv;

import java.time.Duration;

/**
 * Counts attempts per key in fixed windows: at most {@code limit} attempts are allowed per {@code window},
 * counted across all instances when Redis is configured. The window starts with the first attempt on a key;
 * attempts that are refused do not extend it. Use one (limit, window) per key: the key is the whole identity.
 */
public interface RateLimiter {

    Decision tryAcquire(String key, int limit, Duration window);

    /**
     * Gives back one allowed attempt on {@code key} (the thing it paid for did not happen), within the window it
     * was taken in; nothing once that window has ended. Best effort: a lost release only errs on the strict side.
     */
    void release(String key);

    /**
     * @param remaining  attempts still allowed in the current window
     * @param retryAfter zero when allowed, else the time until the window resets (for {@code Retry-After})
     */
    record Decision(boolean allowed, long remaining, Duration retryAfter) {
        /** {@link #retryAfter} in whole seconds, at least 1: the value of a {@code Retry-After} header. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }
}
