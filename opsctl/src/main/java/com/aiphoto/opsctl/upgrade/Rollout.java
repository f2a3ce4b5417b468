package com.aiphoto.opsctl.upgrade;

import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Shell;
import com.aiphoto.opsctl.health.InstanceHealth;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * One instance's turn: drain it (nginx moves traffic away, see the server's RequestFilter), wait until nothing is
 * in flight and no request has arrived for the quiet period (bounded), restart it, wait for health as
 * {@code health --wait} does. Never throws: a failed turn is a {@link Turn} saying which step failed and why.
 */
final class Rollout {
    static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    /** The timings of a rollout, from the command line. */
    record Timings(
            Duration drainTimeout,
            Duration quietPeriod,
            Duration restartTimeout,
            Duration healthWait,
            Duration settle) {}

    /** How one instance's turn went; {@code result} restarted | failed | not reached. */
    record Turn(
            String instance,
            int adminPort,
            String result,
            String failedStep,
            long drainMs,
            int inFlightAtRestart,
            long restartMs,
            long healthyMs,
            String detail) {
        boolean ok() {
            return "restarted".equals(result);
        }

        static Turn notReached(Instance i) {
            return new Turn(i.name(), i.adminPort(), "not reached", null, 0, 0, 0, 0, "still serving the old build");
        }
    }

    private final DrainClient drains;
    private final Timings timings;
    private final String restartTemplate;
    private final PrintWriter err;
    private final boolean quiet;

    Rollout(DrainClient drains, Timings timings, String restartTemplate, PrintWriter err, boolean quiet) {
        this.drains = drains;
        this.timings = timings;
        this.restartTemplate = restartTemplate;
        this.err = err;
        this.quiet = quiet;
    }

    /** Empty when the instance answers healthy now; else why not (it is then restarted first, undrained). */
    String notReady(Instance i) {
        InstanceHealth.Outcome h = InstanceHealth.await(
                i.api("/health"), i.admin("/observe/health/ready"), Duration.ZERO, Duration.ofSeconds(5), (l, p) -> {});
        return h.healthy() ? "" : h.summary();
    }

    Turn turn(Instance i) {
        long t0 = System.nanoTime();
        progress("%s: draining", i.name());
        int inFlight = 0;
        try {
            inFlight = awaitDrained(i, drains.drain(i)).inFlight();
        } catch (IOException e) {
            // down or unreachable: there is nothing to drain, and a restart is what it needs
            warn("%s: cannot drain (%s); restarting it undrained", i.name(), e.getMessage());
        }
        long drainMs = ms(t0);

        String command = i.restartCommand(restartTemplate);
        progress(
                "%s: drained in %s (%d in flight); restarting: %s",
                i.name(), Format.millis(drainMs), inFlight, command);
        long t1 = System.nanoTime();
        Shell.Result r = Shell.run(command, timings.restartTimeout());
        long restartMs = ms(t1);
        if (!r.ok()) {
            String undo = cancelDrain(i);
            return failed(
                    i,
                    "restart",
                    drainMs,
                    inFlight,
                    restartMs,
                    0,
                    "restart command exited " + r.code() + (r.lastLine().isEmpty() ? "" : ": " + r.lastLine()) + undo);
        }

        progress(
                "%s: restart command done in %s; waiting up to %s for health",
                i.name(), Format.millis(restartMs), Format.age(timings.healthWait()));
        long t2 = System.nanoTime();
        InstanceHealth.Outcome h = InstanceHealth.await(
                i.api("/health"),
                i.admin("/observe/health/ready"),
                timings.healthWait(),
                Duration.ofSeconds(5),
                (left, problem) -> progress("%s: waiting (%s left): %s", i.name(), Format.age(left), problem));
        long healthyMs = ms(t2);
        if (!h.healthy()) {
            return failed(
                    i,
                    "health",
                    drainMs,
                    inFlight,
                    restartMs,
                    healthyMs,
                    "not healthy " + Format.age(timings.healthWait()) + " after the restart: " + h.summary());
        }
        try {
            if (drains.state(i).draining()) {
                return failed(
                        i,
                        "health",
                        drainMs,
                        inFlight,
                        restartMs,
                        healthyMs,
                        "still the draining process after the restart command: it did not restart the instance");
            }
        } catch (IOException e) {
            return failed(i, "health", drainMs, inFlight, restartMs, healthyMs, e.getMessage());
        }
        progress("%s: healthy after %s", i.name(), Format.millis(healthyMs));
        return new Turn(
                i.name(), i.adminPort(), "restarted", null, drainMs, inFlight, restartMs, healthyMs, h.summary());
    }

    /** Between turns: nginx counts the restart's refused connections against the instance for its fail_timeout. */
    void settle(Instance restarted) {
        if (timings.settle().isZero()) {
            return;
        }
        Long before = received(restarted);
        progress("%s: letting nginx take it back (%s)", restarted.name(), Format.age(timings.settle()));
        sleep(timings.settle());
        Long after = received(restarted);
        if (before != null && after != null) {
            progress("%s: %d requests served since it came back", restarted.name(), after - before);
        }
    }

    /** Until nothing is in flight and no request has come for the quiet period, or the drain timeout passes. */
    private DrainClient.State awaitDrained(Instance i, DrainClient.State first) {
        long start = System.nanoTime();
        long end = start + timings.drainTimeout().toNanos();
        long quietSince = System.nanoTime();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        DrainClient.State last = first;
        while (true) {
            sleep(POLL);
            DrainClient.State s;
            try {
                s = drains.state(i);
            } catch (IOException e) {
                warn("%s: drain state unreadable (%s); restarting now", i.name(), e.getMessage());
                return last;
            }
            long now = System.nanoTime();
            if (s.received() != last.received() || s.inFlight() > 0) {
                quietSince = now;
            }
            long sinceDrain = s.received() - first.received();
            last = s;
            if (s.inFlight() == 0 && now - quietSince >= timings.quietPeriod().toNanos()) {
                return s;
            }
            if (now >= end) {
                warn(
                        "%s: after %s still %d in flight, %d requests since the drain began; restarting anyway (its"
                                + " graceful stop gives them SHUTDOWN_TIMEOUT)",
                        i.name(), Format.age(timings.drainTimeout()), s.inFlight(), sinceDrain);
                return s;
            }
            if (now >= nextProgress) {
                progress(
                        "%s: draining, %d in flight, %d requests since the drain began (%s)",
                        i.name(), s.inFlight(), sinceDrain, Format.millis((now - start) / 1_000_000));
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
        }
    }

    private String cancelDrain(Instance i) {
        try {
            drains.cancel(i);
            return "; its drain was cancelled, it serves on";
        } catch (IOException e) {
            return "; its drain could not be cancelled (" + e.getMessage() + ")";
        }
    }

    private Long received(Instance i) {
        try {
            return drains.state(i).received();
        } catch (IOException e) {
            return null;
        }
    }

    private static Turn failed(
            Instance i, String step, long drainMs, int inFlight, long restartMs, long healthyMs, String detail) {
        return new Turn(i.name(), i.adminPort(), "failed", step, drainMs, inFlight, restartMs, healthyMs, detail);
    }

    private void progress(String format, Object... args) {
        if (!quiet) {
            err.println("opsctl: upgrade: " + String.format(java.util.Locale.ROOT, format, args));
            err.flush();
        }
    }

    private void warn(String format, Object... args) {
        err.println("opsctl: upgrade: warning: " + String.format(java.util.Locale.ROOT, format, args));
        err.flush();
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
