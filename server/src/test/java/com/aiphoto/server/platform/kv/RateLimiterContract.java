package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.testing.Concurrently;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link RateLimiter} shares; subclasses supply the implementation. */
abstract class RateLimiterContract {
    static final Duration LONG = Duration.ofMinutes(1);

    RateLimiter limiter;

    /** A fresh limiter with no counts. */
    abstract RateLimiter newLimiter();

    /** Another instance sharing {@link #limiter}'s counts, as a second server would (in process: the same one). */
    abstract RateLimiter peer();

    @BeforeEach
    void setUp() {
        limiter = newLimiter();
    }

    @Test
    void allowsUpToTheLimitThenRefuses() {
        for (int i = 1; i <= 3; i++) {
            RateLimiter.Decision d = limiter.tryAcquire("ip:1", 3, LONG);
            assertTrue(d.allowed());
            assertEquals(3 - i, d.remaining());
            assertEquals(Duration.ZERO, d.retryAfter());
        }
        RateLimiter.Decision refused = limiter.tryAcquire("ip:1", 3, LONG);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertTrue(
                refused.retryAfter().compareTo(Duration.ZERO) > 0
                        && refused.retryAfter().compareTo(LONG) <= 0,
                "retryAfter " + refused.retryAfter());
        assertTrue(limiter.tryAcquire("ip:2", 3, LONG).allowed(), "keys are independent");
    }

    @Test
    void aReleasedAttemptIsAllowedAgainWithinTheWindow() {
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.tryAcquire("sms:1", 3, LONG).allowed());
        }
        limiter.release("sms:1");
        assertTrue(peer().tryAcquire("sms:1", 3, LONG).allowed(), "the given-back slot");
        assertFalse(limiter.tryAcquire("sms:1", 3, LONG).allowed());
        limiter.release("never-used");
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.tryAcquire("never-used", 3, LONG).allowed(), "a release never adds credit");
        }
        assertFalse(limiter.tryAcquire("never-used", 3, LONG).allowed());
    }

    @Test
    void exactCountUnderConcurrency() throws Exception {
        List<Boolean> allowed = Concurrently.run(
                100, () -> limiter.tryAcquire("login", 20, LONG).allowed());
        assertEquals(20, allowed.stream().filter(a -> a).count());
    }

    @Test
    void windowResets() throws Exception {
        Duration window = Duration.ofMillis(300);
        assertTrue(limiter.tryAcquire("k", 2, window).allowed());
        assertTrue(limiter.tryAcquire("k", 2, window).allowed());
        assertFalse(limiter.tryAcquire("k", 2, window).allowed());
        assertTrue(Concurrently.within(
                Duration.ofSeconds(3), () -> limiter.tryAcquire("k", 2, window).allowed()));
    }

    @Test
    void limitHoldsAcrossInstances() throws Exception {
        RateLimiter other = peer();
        AtomicInteger turn = new AtomicInteger();
        List<Boolean> allowed = Concurrently.run(
                10,
                () -> (turn.getAndIncrement() % 2 == 0 ? limiter : other)
                        .tryAcquire("sms:138", 5, LONG)
                        .allowed());
        assertEquals(5, allowed.stream().filter(a -> a).count(), "5 in total, not 5 each");
    }

    @Test
    void limitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire("k", 0, LONG));
    }
}
