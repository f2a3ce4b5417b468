package com.aiphoto.server.health;

import com.aiphoto.server.platform.Database;
import com.aiphoto.server.platform.Lifecycle;
import com.aiphoto.server.platform.MigrationGate;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The readiness checks: database, pending migrations, Redis when configured, free disk, and not draining. The
 * dependency probes run in parallel, each on its own virtual thread, and the answer is due {@link #DEADLINE}
 * after they start whatever the outage looks like (refused, blackholed, frozen): a probe still running then
 * counts as failed. Results are kept for {@link #CACHE}, and a probe still running is never started twice, so
 * a stream of readiness calls cannot pile up threads on a dead dependency. Redis is never a readiness failure:
 * all instances share it, and the API serves without it (limits and codes per instance); its state is reported
 * as {@code state: DEGRADED} in the details.
 */
public final class ReadinessChecks {
    /** Load balancers must hear DOWN within 5 s; this leaves room for the HTTP round trip. */
    static final Duration DEADLINE = Duration.ofSeconds(3);

    static final Duration CACHE = Duration.ofSeconds(1);

    private ReadinessChecks() {}

    /**
     * @param redisPing absent when Redis is not configured (embedded default)
     * @param dirs      directories whose file systems must keep {@code minFreeBytes} free (logs, data)
     */
    public static List<HealthCheck> create(
            Lifecycle lifecycle,
            Database db,
            MigrationGate migrations,
            BooleanSupplier redisPing,
            List<Path> dirs,
            long minFreeBytes) {
        List<Probe> probes = new ArrayList<>();
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(check(
                "lifecycle",
                () -> lifecycle.stopping()
                        ? down("message", "shutting down")
                        : lifecycle.draining() ? down("message", "draining") : up()));
        checks.add(probe(
                probes,
                "database",
                () -> db.ping() ? up("db", db.settings().describe()) : down("message", "database unreachable"),
                down("message", "database did not answer within " + DEADLINE.toSeconds() + " s")));
        checks.add(probe(
                probes,
                "migrations",
                () -> {
                    int pending = migrations.pending();
                    if (pending == 0) {
                        return up();
                    }
                    return pending < 0
                            ? down("message", "migration state unknown (database unreachable)")
                            : down("message", "pending migrations: run opsctl db migrate", "pending", pending);
                },
                down("message", "migration state unknown (database did not answer)")));
        if (redisPing != null) {
            checks.add(probe(
                    probes,
                    "redis",
                    () -> redisPing.getAsBoolean() ? up("state", "UP") : redisDegraded(),
                    redisDegraded()));
        }
        checks.add(probe(
                probes,
                "disk",
                () -> {
                    for (Path dir : dirs) {
                        long free = usable(dir);
                        if (free >= 0 && free < minFreeBytes) {
                            return down("message", "low disk space", "path", dir.toString(), "freeBytes", free);
                        }
                    }
                    return up();
                },
                down("message", "file system did not answer")));
        return checks;
    }

    private static HealthCheckResponse redisDegraded() {
        return up("state", "DEGRADED", "message", "redis unreachable: rate limits and login codes are per instance");
    }

    /** A check answered by {@code body} on its own thread; starting any starts all, so they run side by side. */
    private static HealthCheck probe(
            List<Probe> all, String name, Supplier<HealthCheckResponse> body, HealthCheckResponse late) {
        Probe probe = new Probe(body);
        all.add(probe);
        return check(name, () -> {
            for (Probe other : all) {
                var unused = other.start(); // each is awaited by its own check
            }
            CompletableFuture<HealthCheckResponse> result = probe.start();
            try {
                return result.get(Math.max(0, probe.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return late;
            } catch (ExecutionException e) {
                return down(
                        "message", "check failed: " + e.getCause().getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return late;
            }
        });
    }

    /** One probe's latest run: kept for {@link #CACHE} once done, never restarted while running. */
    private static final class Probe {
        private final Supplier<HealthCheckResponse> body;
        private CompletableFuture<HealthCheckResponse> result;
        private long startedNanos;

        Probe(Supplier<HealthCheckResponse> body) {
            this.body = body;
        }

        synchronized CompletableFuture<HealthCheckResponse> start() {
            long now = System.nanoTime();
            if (result == null || (result.isDone() && now - startedNanos > CACHE.toNanos())) {
                startedNanos = now;
                result = CompletableFuture.supplyAsync(
                        body, task -> Thread.ofVirtual().name("readiness").start(task));
            }
            return result;
        }

        synchronized long deadlineNanos() {
            return startedNanos + DEADLINE.toNanos();
        }
    }

    private static long usable(Path dir) {
        try {
            Path p = dir.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return p == null ? -1 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static HealthCheck check(String name, Supplier<HealthCheckResponse> body) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                return body.get();
            }
        };
    }

    private static HealthCheckResponse up(Object... details) {
        return response(HealthCheckResponse.Status.UP, details);
    }

    private static HealthCheckResponse down(Object... details) {
        return response(HealthCheckResponse.Status.DOWN, details);
    }

    private static HealthCheckResponse response(HealthCheckResponse.Status status, Object... details) {
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(status);
        for (int i = 0; i + 1 < details.length; i += 2) {
            b.detail((String) details[i], details[i + 1]);
        }
        return b.build();
    }
}
