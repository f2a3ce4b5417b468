package com.aiphoto.opsctl.db;

import com.aiphoto.core.db.Migrations;
import com.aiphoto.core.db.Migrations.ChecksumRepair;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.YesOption;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "repair",
        description = {
            "Accept comment-only edits of applied migrations: realign their checksums.",
            "Only when the statements are exactly those that ran; refuses (changing nothing) otherwise."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:realigned, or nothing to do",
            "2:usage error",
            "3:a changed file has different statements, the lock is held, or no --yes without a terminal"
        })
final class DbRepairCommand extends MigrationsCommand {
    @Option(names = "--dry-run", description = "List what would be realigned; change nothing.")
    boolean dryRun;

    @Mixin
    YesOption yes;

    @Mixin
    WaitOption lockWait;

    /** --json. */
    record Repair(boolean dryRun, List<ChecksumRepair> repaired) {}

    @Override
    int run(OpsDatabase db, Migrations migrations) {
        PrintWriter out = out();
        List<ChecksumRepair> plan = migrations.planRepair();
        if (!plan.isEmpty() && !dryRun) {
            yes.confirm("Accept the edited " + names(plan) + " as applied in " + db.describe() + "?");
            try (MigrationProgress progress = new MigrationProgress(out, err(), json(), quiet())) {
                plan = migrations.repair(Migrations.actor("opsctl db repair"), lockWait.wait, progress);
            }
        }
        if (json()) {
            out.println(Json.write(new Repair(dryRun, plan)));
            return ExitCode.OK;
        }
        for (ChecksumRepair r : plan) {
            out.println(r.script() + ": checksum " + r.appliedChecksum() + " -> " + r.fileChecksum()
                    + " (only comments or blank space changed)");
        }
        out.println(
                plan.isEmpty()
                        ? "nothing to repair: every applied migration matches its file"
                        : (dryRun ? "dry run: would realign " : "realigned ") + names(plan) + " in " + db.describe());
        return ExitCode.OK;
    }

    private static String names(List<ChecksumRepair> plan) {
        return Format.plural(plan.size(), "migration") + " ("
                + String.join(", ", plan.stream().map(ChecksumRepair::script).toList()) + ")";
    }
}
