package com.aiphoto.server.platform.kv;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the API serving when Redis is down: uses the shared limiter, and while it throws
 * {@link KvUnavailableException} counts in this instance only (limits degrade to per-instance, never to none).
 * Redis is probed again only every {@code probeEvery} (see {@link Failover}). The in-process counts are kept
 * across outages; they expire with their windows.
 */
final class FallbackRateLimiter implements RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackRateLimiter.class);

    private final Failover<RateLimiter> limiters;

    FallbackRateLimiter(RateLimiter shared, RateLimiter local, Duration probeEvery) {
        this.limiters = new Failover<>(
                shared, local, probeEvery, LOG, "rate limits are per instance until Redis answers again");
    }

    @Override
    public Decision tryAcquire(String key, int limit, Duration window) {
        return limiters.call(l -> l.tryAcquire(key, limit, window));
    }

    @Override
    public void release(String key) {
        limiters.call(l -> {
            l.release(key);
            return null;
        });
    }

    boolean degraded() {
        return limiters.degraded();
    }
}
