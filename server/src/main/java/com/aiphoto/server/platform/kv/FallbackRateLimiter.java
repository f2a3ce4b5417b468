package com.aiphoto.server.platform.kv;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the API serving when Redis is down: uses the shared limiter, and while it throws
 * {@link KvUnavailableException} counts in this instance only (limits degrade to per-instance, never to none).
 * After a failure the shared limiter is tried again only every {@code probeEvery}, so an unresponsive Redis
 * costs one request per interval a {@code REDIS_TIMEOUT} wait, not every request. The in-process counts are
 * kept across outages; they expire with their windows.
 */
final class FallbackRateLimiter implements RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackRateLimiter.class);

    private final RateLimiter shared;
    private final RateLimiter local;
    private final long probeEveryNanos;
    private final OutageLog outage = new OutageLog(LOG, "rate limits are per instance until Redis answers again");
    private volatile long nextProbeNanos = System.nanoTime();

    FallbackRateLimiter(RateLimiter shared, RateLimiter local, Duration probeEvery) {
        this.shared = shared;
        this.local = local;
        this.probeEveryNanos = probeEvery.toNanos();
    }

    @Override
    public Decision tryAcquire(String key, int limit, Duration window) {
        if (outage.isDown() && System.nanoTime() - nextProbeNanos < 0) {
            return local.tryAcquire(key, limit, window);
        }
        try {
            Decision d = shared.tryAcquire(key, limit, window);
            outage.ok();
            return d;
        } catch (KvUnavailableException e) {
            nextProbeNanos = System.nanoTime() + probeEveryNanos;
            outage.failed(e);
            return local.tryAcquire(key, limit, window);
        }
    }

    @Override
    public void release(String key) {
        if (outage.isDown()) {
            local.release(key);
            return;
        }
        try {
            shared.release(key);
        } catch (KvUnavailableException e) {
            local.release(key); // the attempt may have been counted here; if not, this is a no-op
        }
    }

    boolean degraded() {
        return outage.isDown();
    }
}
