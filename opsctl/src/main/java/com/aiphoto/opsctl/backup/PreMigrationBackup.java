package com.aiphoto.opsctl.backup;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.MigrationPlan;
import com.aiphoto.opsctl.cli.OpsDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The backup production takes before migrating. It runs under the migration lock, once there is something to
 * apply, so it is exactly the state the batch starts from; rollback's refusal message points at it.
 */
public final class PreMigrationBackup {
    private PreMigrationBackup() {}

    public static String take(Settings settings, OpsDatabase db, PrintWriter err, boolean quiet, MigrationPlan plan) {
        return take(settings, db, err, quiet, plan, "migrate", "migrating");
    }

    /** Before {@code db rollback}, which drops tables and their data just as well: tagged pre-rollback. */
    public static String beforeRollback(
            Settings settings, OpsDatabase db, PrintWriter err, boolean quiet, MigrationPlan plan) {
        return take(settings, db, err, quiet, plan, "rollback", "rolling back");
    }

    /** Before {@code opsctl upgrade} migrates and restarts anything: tagged pre-upgrade, whatever is pending. */
    public static String beforeUpgrade(Settings settings, OpsDatabase db, PrintWriter err, boolean quiet) {
        BackupStore store = new BackupStore(Path.of(settings.get("BACKUP_DIR")));
        return new BackupCreator(db, err, quiet, Clock.systemUTC())
                .create(store, db.settings().name(), Compression.zstd, "pre-upgrade")
                .name();
    }

    private static String take(
            Settings settings,
            OpsDatabase db,
            PrintWriter err,
            boolean quiet,
            MigrationPlan plan,
            String command,
            String doing) {
        BackupStore store = new BackupStore(Path.of(settings.get("BACKUP_DIR")));
        BackupManifest m = new BackupCreator(db, err, quiet, Clock.systemUTC())
                .create(store, db.settings().name(), Compression.zstd, "pre-" + command);
        if (!quiet) {
            err.println("opsctl: backup before " + doing + " from version " + plan.currentVersion() + ": " + m.name());
        }
        return m.name();
    }
}
