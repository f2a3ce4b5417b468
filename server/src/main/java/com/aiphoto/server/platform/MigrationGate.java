package com.aiphoto.server.platform;

import com.aiphoto.core.db.Migrations;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outside production the server migrates on start. In production it never does (opsctl db migrate does, with a
 * backup and a lock), and readiness stays DOWN while migrations are pending. The pending count is cached briefly
 * so readiness probes do not scan the classpath and schema history on every call.
 */
public final class MigrationGate {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationGate.class);
    private static final Duration RECHECK = Duration.ofSeconds(2);

    private record Snapshot(int pending, long checkedAtNanos) {}

    private final Migrations migrations;
    private final AtomicReference<Snapshot> last = new AtomicReference<>();

    public MigrationGate(Migrations migrations) {
        this.migrations = migrations;
    }

    /**
     * Applies pending migrations (development and test only) through {@code through}: an operations pool, as the
     * request pool's socket timeout could cut a slow DDL statement short.
     */
    public void migrateOnStart(Migrations through) {
        MigrateResult r = through.migrate();
        if (r.migrationsExecuted > 0) {
            LOG.info("applied {} migration(s); schema version {}", r.migrationsExecuted, r.targetSchemaVersion);
        }
        last.set(new Snapshot(0, System.nanoTime()));
    }

    /** Pending migrations, re-read at most every few seconds; -1 when the database cannot be asked. */
    public int pending() {
        Snapshot s = last.get();
        if (s != null && s.pending() == 0) {
            return 0; // once applied, new files only arrive with a new build, i.e. a restart
        }
        if (s != null && System.nanoTime() - s.checkedAtNanos() < RECHECK.toNanos()) {
            return s.pending();
        }
        try {
            int n = migrations.pending().size();
            last.set(new Snapshot(n, System.nanoTime()));
            return n;
        } catch (RuntimeException e) {
            LOG.warn("cannot read migration state: {}", e.getClass().getSimpleName());
            return -1;
        }
    }
}
