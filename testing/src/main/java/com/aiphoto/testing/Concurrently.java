package com.aiphoto.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Run N copies of a task released together (to provoke races), and wait for a condition with a bound. */
public final class Concurrently {
    private static final Duration TASK_LIMIT = Duration.ofSeconds(30);

    private Concurrently() {}

    /** What one copy of a task did: returned {@code value} or threw {@code error} (exactly one is set). */
    public record Outcome<T>(T value, Throwable error) {
        public boolean failed() {
            return error != null;
        }
    }

    /**
     * Runs {@code tasks} copies of {@code task} on their own threads, all released at once; returns their
     * results in start order, or throws the first copy's exception (unwrapped).
     */
    public static <T> List<T> run(int tasks, Callable<T> task) throws Exception {
        List<T> results = new ArrayList<>();
        for (Outcome<T> o : attempt(tasks, task)) {
            if (o.failed()) {
                throw o.error() instanceof Exception e ? e : new ExecutionException(o.error());
            }
            results.add(o.value());
        }
        return results;
    }

    /** Like {@link #run} but keeps every copy's result or exception, for races where some copies must fail. */
    public static <T> List<Outcome<T>> attempt(int tasks, Callable<T> task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(tasks);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks)) {
            for (int i = 0; i < tasks; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            // every thread is parked on the latch before any is let go
            ready.await();
            start.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<T> f : futures) {
                outcomes.add(outcome(f));
            }
            return outcomes;
        }
    }

    private static <T> Outcome<T> outcome(Future<T> f) throws InterruptedException {
        try {
            return new Outcome<>(f.get(TASK_LIMIT.toSeconds(), TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return new Outcome<>(null, e);
        }
    }

    /** Polls {@code condition} every 20 ms until true or {@code limit} passes; returns its last value. */
    public static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
