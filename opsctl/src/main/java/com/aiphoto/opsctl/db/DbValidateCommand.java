package com.aiphoto.opsctl.db;

import com.aiphoto.core.db.MigrationStatus;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsDatabase;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * Checksums of the applied migrations against the files, naming each file that differs; also migrations
 * applied but missing from the files, left unfinished, or out of order. Warns about up scripts without a
 * down script (rollback would refuse them).
 */
@Command(
        name = "validate",
        description = "Check the applied migrations against the files; name each mismatch.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every applied migration matches its file", "1:mismatches (each named)", "2:usage error"})
final class DbValidateCommand extends MigrationsCommand {
    /** --json. */
    record Validation(boolean valid, String database, long applied, List<String> problems, List<String> warnings) {}

    @Override
    int run(OpsDatabase db, Migrations migrations) {
        PrintWriter out = out();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String database = db.describe();
        MigrationStatus status = migrations.status();
        for (MigrationStatus.Row r : status.rows()) {
            if (r.bad()) {
                problems.add(r.state() + ": " + r.problem());
            } else if (r.warning()) {
                warnings.add(r.state() + ": " + r.problem());
            } else if (migrations.scripts().down(r.script()).isEmpty()) {
                warnings.add(r.script() + " has no down script (expected "
                        + migrations.scripts().describeDown(r.script()) + "): db rollback would refuse it");
            }
        }
        long applied = status.count(MigrationStatus.APPLIED);
        if (json()) {
            out.println(Json.write(new Validation(problems.isEmpty(), database, applied, problems, warnings)));
        } else {
            if (!quiet()) {
                problems.forEach(p -> out.println("problem: " + p));
                warnings.forEach(w -> out.println("warning: " + w));
            }
            out.println(
                    problems.isEmpty()
                            ? "valid: " + Format.plural(applied, "applied migration") + " match their files ("
                                    + database + ")"
                            : "invalid: " + Format.plural(problems.size(), "problem") + " (" + database + ")");
        }
        return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }
}
