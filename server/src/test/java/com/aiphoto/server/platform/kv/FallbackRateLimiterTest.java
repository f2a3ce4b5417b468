package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FallbackRateLimiterTest {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Logger logger = (Logger) LoggerFactory.getLogger(FallbackRateLimiter.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    private long warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    @Test
    void redisDownStillLimitsPerInstanceAndWarnsOnce() {
        try (RedisClientHolder down = new RedisClientHolder(RedisTestSettings.closedPort())) {
            FallbackRateLimiter limiter = new FallbackRateLimiter(
                    new FixedWindowRateLimiter(new RedisKeyValueStore(down, "unused:")),
                    new FixedWindowRateLimiter(new InProcessKeyValueStore()),
                    Duration.ofSeconds(1));
            long start = System.nanoTime();
            long allowed = IntStream.range(0, 10)
                    .filter(i -> limiter.tryAcquire("ip", 3, WINDOW).allowed())
                    .count();
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0, "no hanging");
            assertEquals(3, allowed);
            assertTrue(limiter.degraded());
            assertEquals(1, warnings(), "one warning per outage, not per call");
        }
    }

    @Test
    void recoversWhenRedisAnswersAgain() {
        AtomicBoolean failing = new AtomicBoolean(true);
        RateLimiter shared = answering(() -> {
            if (failing.get()) {
                throw new KvUnavailableException("down", null);
            }
            return new RateLimiter.Decision(true, 41, Duration.ZERO);
        });
        FallbackRateLimiter limiter = new FallbackRateLimiter(
                shared, new FixedWindowRateLimiter(new InProcessKeyValueStore()), Duration.ZERO);
        assertEquals(1, limiter.tryAcquire("k", 2, WINDOW).remaining());
        assertEquals(0, limiter.tryAcquire("k", 2, WINDOW).remaining());
        assertFalse(limiter.tryAcquire("k", 2, WINDOW).allowed());
        failing.set(false);
        assertEquals(41, limiter.tryAcquire("k", 2, WINDOW).remaining(), "shared limiter used again");
        assertFalse(limiter.degraded());
        failing.set(true);
        limiter.tryAcquire("k", 2, WINDOW);
        assertEquals(2, warnings(), "a new outage warns again");
    }

    @Test
    void duringAnOutageRedisIsProbedOnlyNowAndThen() {
        AtomicInteger calls = new AtomicInteger();
        RateLimiter slow = answering(() -> {
            calls.incrementAndGet();
            throw new KvUnavailableException("timed out", null);
        });
        FallbackRateLimiter limiter = new FallbackRateLimiter(
                slow, new FixedWindowRateLimiter(new InProcessKeyValueStore()), Duration.ofMinutes(1));
        IntStream.range(0, 10).forEach(i -> limiter.tryAcquire("k", 100, WINDOW));
        assertEquals(1, calls.get());
    }

    /** A shared limiter whose every acquisition {@code decision} answers (or fails); releases do nothing. */
    private static RateLimiter answering(java.util.function.Supplier<RateLimiter.Decision> decision) {
        return new RateLimiter() {
            @Override
            public Decision tryAcquire(String key, int limit, Duration window) {
                return decision.get();
            }

            @Override
            public void release(String key) {}
        };
    }
}
