package com.aiphoto.opsctl.health;

import com.aiphoto.opsctl.cli.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Runs every probe at once, each on its own daemon thread, and collects what they found by one deadline. A
 * probe still running then is interrupted and left behind (never joined, so a hung socket cannot hold the
 * command), and its checks are reported as not answering. Platform threads, not virtual ones: sockets of
 * virtual threads are watched by poller threads that sit in epoll, and the JVM's exit waits up to 300 ms for
 * threads in native code.
 */
final class HealthRun {
    /** How often {@code --wait} repeats a failing round. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private HealthRun() {}

    /**
     * {@code --wait}: rounds of {@link #run} until one has no failure or {@code wait} has passed; the last round
     * either way. {@code waiting} hears each new problem with the time left (not the same problem twice in a row).
     */
    static HealthReport untilNotFailing(
            List<Probe> probes, Duration timeout, Duration wait, BiConsumer<Duration, String> waiting) {
        long end = System.nanoTime() + wait.toNanos();
        String lastProblem = null;
        while (true) {
            HealthReport report = new HealthReport(run(probes, timeout));
            long left = end - System.nanoTime();
            if (report.state() != Observation.State.FAIL || left <= 0) {
                return report;
            }
            String problem = report.summary();
            if (!problem.equals(lastProblem)) {
                waiting.accept(Duration.ofNanos(left), problem);
                lastProblem = problem;
            }
            try {
                Thread.sleep(Math.min(RETRY_EVERY.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return report;
            }
        }
    }

    static List<Observation> run(List<Probe> probes, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        List<CompletableFuture<List<Observation>>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Probe p : probes) {
            CompletableFuture<List<Observation>> f = new CompletableFuture<>();
            futures.add(f);
            threads.add(Thread.ofPlatform().daemon().name("health-" + p.name()).start(() -> {
                try {
                    f.complete(p.body().call());
                } catch (Exception | Error e) {
                    f.completeExceptionally(e);
                }
            }));
        }
        List<Observation> all = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            try {
                all.addAll(futures.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                threads.get(i).interrupt();
                all.addAll(p.late("did not answer within " + Format.millis(deadline.toMillis())));
            } catch (ExecutionException e) {
                all.addAll(p.broken(e.getCause() instanceof Exception c ? c : e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                all.addAll(p.late("interrupted"));
            }
        }
        return all;
    }
}
