package com.aiphoto.opsctl.db;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.MigrateRequest;
import com.aiphoto.core.db.MigrationBatch;
import com.aiphoto.core.db.MigrationPlan;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.opsctl.backup.PreMigrationBackup;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsDatabase;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "migrate",
        description = {
            "Apply the pending migrations as one batch.",
            "Holds the migration lock (another migrator waits up to --wait); in production takes a backup first."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:migrated, or nothing to do",
            "1:a statement failed (named); see db status",
            "2:usage error",
            "3:lock still held after --wait, or the files do not match the database"
        })
final class DbMigrateCommand extends MigrationsCommand {
    @Option(names = "--dry-run", description = "List what would run, with its SQL; change nothing.")
    boolean dryRun;

    @Option(
            names = "--target",
            paramLabel = "VERSION",
            converter = VersionConverter.class,
            description = "Migrate up to this version only.")
    String target;

    @Option(names = "--no-backup", description = "Skip the backup production takes before migrating.")
    boolean noBackup;

    @Mixin
    WaitOption lockWait;

    @Override
    int run(OpsDatabase db, Migrations migrations) {
        Settings settings = settings();
        PrintWriter out = out();
        boolean json = json();
        boolean backupFirst = settings.isProduction() && !noBackup;
        if (dryRun) {
            MigrationPlan plan = migrations.planMigrate(Optional.ofNullable(target));
            plan.warnings().forEach(w -> err().println("opsctl: warning: " + w));
            if (json) {
                out.println(Json.write(MigrationOutput.planJson(plan, backupFirst)));
            } else {
                MigrationOutput.printPlan(out, plan);
                out.println(
                        plan.isEmpty()
                                ? "nothing to migrate: " + db.describe() + " is at version " + plan.currentVersion()
                                : "dry run: would apply "
                                        + Format.plural(plan.steps().size(), "migration") + " to " + db.describe()
                                        + " (at version " + plan.currentVersion() + ")"
                                        + (backupFirst ? " after a backup" : ""));
            }
            return ExitCode.OK;
        }
        MigrateRequest request = new MigrateRequest(
                Optional.ofNullable(target),
                Migrations.actor("opsctl db migrate"),
                lockWait.wait,
                plan -> backupFirst
                        ? Optional.of(PreMigrationBackup.take(settings, db, err(), quiet(), plan))
                        : Optional.empty());
        MigrationBatch batch = MigrationOutput.run(
                out,
                err(),
                json(),
                quiet(),
                listener -> migrations.migrate(request, listener),
                "the statements before it stay applied: see opsctl db status, then fix the script and re-run,"
                        + " or opsctl db rollback");
        if (json) {
            out.println(Json.write(MigrationOutput.batchJson(batch)));
        } else if (batch.id() == 0) {
            out.println("nothing to migrate: " + db.describe() + " is at version " + batch.toVersion());
        } else {
            out.println("migrated " + db.describe() + " from version " + batch.fromVersion() + " to "
                    + batch.toVersion() + ": " + Format.plural(batch.results().size(), "migration")
                    + " in batch " + batch.id() + (batch.backup() == null ? "" : ", backup " + batch.backup()));
        }
        return ExitCode.OK;
    }
}
