package com.aiphoto.server.platform.kv;

class InProcessRateLimiterTest extends RateLimiterContract {

    @Override
    RateLimiter newLimiter() {
        return new FixedWindowRateLimiter(new InProcessKeyValueStore());
    }

    @Override
    RateLimiter peer() {
        return limiter;
    }
}
