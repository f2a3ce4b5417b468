package com.aiphoto.opsctl.db;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.MigrationStatus;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Checksums of the applied migrations against the files, naming each file that differs; also migrations
 * applied but missing from the files, left unfinished, or out of order. Warns about up scripts without a
 * down script (rollback would refuse them).
 */
@Command(name = "validate", description = "Check the applied migrations against the files; name each mismatch.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every applied migration matches its file", "1:mismatches (each named)",
                "2:usage error"})
final class DbValidateCommand extends OpsCommand {
    @Mixin
    LocationOption location;

    @Override
    public Integer call() {
        Settings settings = settings();
        PrintWriter out = out();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        MigrationStatus status;
        String database;
        try (OpsDatabase db = openDatabase()) {
            database = db.describe();
            Migrations migrations = db.migrations(settings, location.location);
            status = migrations.status();
            for (MigrationStatus.Row r : status.rows()) {
                if (r.bad()) {
                    problems.add(r.state() + ": " + r.problem());
                } else if (migrations.scripts().down(r.script()).isEmpty()) {
                    warnings.add(r.script() + " has no down script (expected "
                            + migrations.scripts().describeDown(r.script()) + "): db rollback would refuse it");
                }
            }
        }
        long applied = status.count(MigrationStatus.APPLIED);
        if (json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("valid", problems.isEmpty());
            doc.put("database", database);
            doc.put("applied", applied);
            doc.put("problems", problems);
            doc.put("warnings", warnings);
            out.println(Json.write(doc));
        } else {
            if (!quiet()) {
                problems.forEach(p -> out.println("problem: " + p));
                warnings.forEach(w -> out.println("warning: " + w));
            }
            out.println(problems.isEmpty()
                    ? "valid: " + Format.plural(applied, "applied migration") + " match their files (" + database + ")"
                    : "invalid: " + Format.plural(problems.size(), "problem") + " (" + database + ")");
        }
        return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }
}
