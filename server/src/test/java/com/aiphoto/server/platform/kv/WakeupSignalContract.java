package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link WakeupSignal} shares; subclasses supply the implementation. */
abstract class WakeupSignalContract {
    WakeupSignal signals;

    abstract WakeupSignal newSignal();

    /** Another instance on the same namespace, over its own connection (in process: the same one). */
    abstract WakeupSignal peer();

    @BeforeEach
    void setUp() {
        signals = newSignal();
    }

    static boolean await(Semaphore s) throws InterruptedException {
        return s.tryAcquire(3, TimeUnit.SECONDS);
    }

    @Test
    void signalReachesSubscriberOnAnotherInstance() throws Exception {
        Semaphore woken = new Semaphore(0);
        try (WakeupSignal.Subscription ignored = peer().subscribe("tasks", woken::release)) {
            signals.signal("tasks");
            assertTrue(await(woken));
            signals.signal("tasks");
            assertTrue(await(woken), "every signal is delivered while subscribed");
        }
    }

    @Test
    void closedSubscriptionAndOtherTopicsReceiveNothing() throws Exception {
        AtomicInteger stray = new AtomicInteger();
        Semaphore open = new Semaphore(0);
        WakeupSignal other = peer();
        WakeupSignal.Subscription closed = other.subscribe("tasks", stray::incrementAndGet);
        try (WakeupSignal.Subscription a = other.subscribe("tasks", open::release);
                WakeupSignal.Subscription b = other.subscribe("other-topic", stray::incrementAndGet)) {
            closed.close();
            closed.close();
            signals.signal("tasks");
            assertTrue(await(open));
            // signals on one topic arrive in order: once the second is seen, the first was fully dispatched
            signals.signal("tasks");
            assertTrue(await(open));
        }
        assertEquals(0, stray.get());
    }

    @Test
    void failingCallbackDoesNotStopOthers() throws Exception {
        Semaphore woken = new Semaphore(0);
        try (WakeupSignal.Subscription bad = peer().subscribe("t", () -> {
                    throw new IllegalStateException("boom");
                });
                WakeupSignal.Subscription good = peer().subscribe("t", woken::release)) {
            signals.signal("t");
            assertTrue(await(woken));
        }
    }

    @Test
    void signalWithoutSubscribersIsHarmless() {
        signals.signal("nobody-listens");
    }
}
