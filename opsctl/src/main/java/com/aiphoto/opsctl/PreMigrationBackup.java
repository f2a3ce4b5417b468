package com.aiphoto.opsctl;

import com.aiphoto.core.db.MigrationPlan;

/** The backup production takes before migrating, under the migration lock. */
final class PreMigrationBackup {
    private PreMigrationBackup() {
    }

    static String take(Opsctl app, OpsDatabase db, MigrationPlan plan) {
        throw new OpsctlException(ExitCode.PRECONDITION, "backup before migrate is not built yet: take one by hand,"
                + " then re-run with --no-backup");
    }
}
