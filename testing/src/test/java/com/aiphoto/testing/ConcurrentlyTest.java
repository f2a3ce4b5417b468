package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {
    @Test
    void allCopiesRunAtOnceAndEveryResultComesBack() throws Exception {
        // each copy waits for all the others: this only finishes if all 12 run at the same time
        CyclicBarrier together = new CyclicBarrier(12);
        AtomicInteger n = new AtomicInteger();
        List<Integer> results = Concurrently.run(12, () -> {
            together.await(10, TimeUnit.SECONDS);
            return n.incrementAndGet();
        });
        assertEquals(12, results.size());
        assertEquals(78, results.stream().mapToInt(Integer::intValue).sum(), "1 + ... + 12, each once");
    }

    @Test
    void attemptKeepsResultsAndExceptionsRunRethrows() throws Exception {
        AtomicInteger n = new AtomicInteger();
        List<Concurrently.Outcome<Integer>> outcomes = Concurrently.attempt(6, () -> {
            if (n.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("lost the race");
            }
            return 1;
        });
        assertEquals(3, outcomes.stream().filter(Concurrently.Outcome::failed).count());
        assertTrue(outcomes.stream()
                .filter(Concurrently.Outcome::failed)
                .allMatch(o -> o.error() instanceof IllegalStateException && o.value() == null));
        assertTrue(outcomes.stream().filter(o -> !o.failed()).allMatch(o -> o.value() == 1));

        Exception e = assertThrows(
                Exception.class,
                () -> Concurrently.run(3, () -> {
                    throw new java.io.IOException("boom");
                }));
        assertInstanceOf(java.io.IOException.class, e, "the task's own exception, unwrapped");
    }

    @Test
    void withinWaitsForTheConditionOrGivesUp() throws Exception {
        long start = System.nanoTime();
        assertTrue(Concurrently.within(Duration.ofSeconds(5), () -> System.nanoTime() - start > 50_000_000L));
        assertFalse(Concurrently.within(Duration.ofMillis(60), () -> false));
    }
}
