package com.aiphoto.opsctl.db;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.MigrationBatch;
import com.aiphoto.core.db.MigrationPlan;
import com.aiphoto.core.db.MigrationStep;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.core.db.RollbackRequest;
import com.aiphoto.opsctl.backup.PreMigrationBackup;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.YesOption;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(
        name = "rollback",
        description = {
            "Undo the last batch (what the last db migrate applied), newest first," + " with the down scripts.",
            "Refuses before changing anything when a down script is missing;" + " in production takes a backup first."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:rolled back, or nothing to do",
            "1:a down statement failed (named); see db status",
            "2:usage error",
            "3:a down script is missing, the lock is held, or no --yes without a terminal"
        })
final class DbRollbackCommand extends MigrationsCommand {
    static final class Which {
        @Option(names = "--steps", paramLabel = "N", description = "Undo the newest N applied migrations.")
        Integer steps;

        @Option(
                names = "--to",
                paramLabel = "VERSION",
                converter = VersionConverter.class,
                description = "Undo every migration above VERSION.")
        String to;
    }

    @ArgGroup(exclusive = true)
    Which which;

    @Option(names = "--dry-run", description = "List what would be undone, with the SQL; change nothing.")
    boolean dryRun;

    @Option(names = "--no-backup", description = "Skip the backup production takes before rolling back.")
    boolean noBackup;

    @Mixin
    YesOption yes;

    @Mixin
    WaitOption lockWait;

    /** --json when there is nothing to roll back. */
    record Nothing(String batch, String toVersion) {}

    @Override
    void validate() {
        request();
    }

    @Override
    int run(OpsDatabase db, Migrations migrations) {
        PrintWriter out = out();
        boolean json = json();
        RollbackRequest request = request();
        MigrationPlan plan = migrations.planRollback(request);
        if (plan.isEmpty()) {
            out.println(
                    json
                            ? Json.write(new Nothing("none", plan.currentVersion()))
                            : "nothing to roll back: " + db.describe() + " is at version " + plan.currentVersion());
            return ExitCode.OK;
        }
        if (dryRun) {
            if (json) {
                out.println(Json.write(MigrationOutput.planJson(plan, settings().isProduction() && !noBackup)));
            } else {
                MigrationOutput.printPlan(out, plan);
                out.println("dry run: would undo " + names(plan) + " in " + db.describe());
            }
            return ExitCode.OK;
        }
        yes.confirm("Undo " + names(plan) + " in " + db.describe() + "?");
        Settings settings = settings();
        RollbackRequest backedUp = settings.isProduction() && !noBackup
                ? request.withBeforeApply(
                        p -> Optional.of(PreMigrationBackup.beforeRollback(settings, db, err(), quiet(), p)))
                : request;
        MigrationBatch batch = MigrationOutput.run(
                out,
                err(),
                json(),
                quiet(),
                listener -> migrations.rollback(backedUp, listener),
                "see opsctl db status; fix the down script and re-run the rollback, which continues there");
        if (json) {
            out.println(Json.write(MigrationOutput.batchJson(batch)));
        } else {
            out.println("rolled back " + db.describe() + " from version " + batch.fromVersion() + " to "
                    + batch.toVersion() + ": " + Format.plural(batch.results().size(), "migration")
                    + " undone (batch " + batch.id() + (batch.backup() == null ? "" : ", backup " + batch.backup())
                    + ")");
        }
        return ExitCode.OK;
    }

    private RollbackRequest request() {
        String actor = Migrations.actor("opsctl db rollback");
        if (which != null && which.steps != null) {
            if (which.steps < 1) {
                throw new ParameterException(spec.commandLine(), "--steps must be at least 1");
            }
            return new RollbackRequest(RollbackRequest.Mode.STEPS, which.steps, null, actor, lockWait.wait);
        }
        if (which != null && which.to != null) {
            return new RollbackRequest(RollbackRequest.Mode.TO, 0, which.to, actor, lockWait.wait);
        }
        return new RollbackRequest(RollbackRequest.Mode.LAST_BATCH, 0, null, actor, lockWait.wait);
    }

    private static String names(MigrationPlan plan) {
        return Format.plural(plan.steps().size(), "migration") + " ("
                + String.join(
                        ", ", plan.steps().stream().map(MigrationStep::script).toList()) + ")";
    }
}
