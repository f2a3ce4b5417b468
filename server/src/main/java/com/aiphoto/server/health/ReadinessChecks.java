package com.aiphoto.server.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.aiphoto.server.platform.Database;
import com.aiphoto.server.platform.Lifecycle;
import com.aiphoto.server.platform.MigrationGate;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** The readiness checks: database, pending migrations, Redis when configured, free disk, and not draining. */
public final class ReadinessChecks {
    private ReadinessChecks() {
    }

    /**
     * @param redisPing absent when Redis is not configured (embedded default)
     * @param dirs      directories whose file systems must keep {@code minFreeBytes} free (logs, data)
     */
    public static List<HealthCheck> create(Lifecycle lifecycle, Database db, MigrationGate migrations,
                                           BooleanSupplier redisPing, List<Path> dirs, long minFreeBytes) {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(check("lifecycle", () -> lifecycle.draining()
                ? down("message", "shutting down") : up()));
        checks.add(check("database", () -> db.ping() ? up("db", db.settings().describe())
                : down("message", "database unreachable")));
        checks.add(check("migrations", () -> {
            int pending = migrations.pending();
            if (pending == 0) {
                return up();
            }
            return pending < 0 ? down("message", "migration state unknown (database unreachable)")
                    : down("message", "pending migrations: run opsctl db migrate", "pending", pending);
        }));
        if (redisPing != null) {
            checks.add(check("redis", () -> redisPing.getAsBoolean() ? up() : down("message", "redis unreachable")));
        }
        checks.add(check("disk", () -> {
            for (Path dir : dirs) {
                long free = usable(dir);
                if (free >= 0 && free < minFreeBytes) {
                    return down("message", "low disk space", "path", dir.toString(), "freeBytes", free);
                }
            }
            return up();
        }));
        return checks;
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

    private static HealthCheck check(String name, java.util.function.Supplier<HealthCheckResponse> body) {
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
