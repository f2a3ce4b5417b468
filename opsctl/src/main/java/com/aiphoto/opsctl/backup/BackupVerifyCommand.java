package com.aiphoto.opsctl.backup;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify",
        description = {
            "Check a backup: file hash, then a restore into a scratch database compared"
                    + " table by table (rows and content checksums) with the manifest.",
            "The result is recorded in the manifest."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the backup restores to what was backed up",
            "1:it does not (each difference named), or it" + " could not be checked",
            "2:usage error"
        })
final class BackupVerifyCommand extends OpsCommand {
    @Mixin
    BackupDirOption dir;

    @Parameters(
            arity = "0..1",
            paramLabel = "NAME|latest",
            defaultValue = "latest",
            description = "The backup (default: ${DEFAULT-VALUE}).")
    String name;

    /** --json. */
    record Verified(String name, boolean ok, List<String> problems, long durationMs) {}

    @Override
    public Integer call() {
        Settings settings = settings();
        PrintWriter out = out();
        BackupStore store = dir.store(settings);
        BackupManifest m = store.find(name);
        BackupManifest.Verification v;
        try (OpsDatabase db = openDatabase()) {
            v = new BackupVerifier(db, err(), quiet(), Clock.systemUTC())
                    .verify(store, m)
                    .verification();
        }
        Verified doc = new Verified(m.name(), v.ok(), v.problems(), v.durationMs());
        if (json()) {
            if (v.ok()) {
                out.println(Json.write(doc));
            }
        } else {
            v.problems().forEach(p -> out.println("problem: " + p));
            out.println("verify " + m.name() + ": "
                    + (v.ok()
                            ? "OK: hash matches; " + Format.plural(m.tables().size(), "table")
                                    + " restored with the same rows and content"
                            : "FAILED: " + Format.plural(v.problems().size(), "problem"))
                    + " (" + Format.millis(v.durationMs()) + ")");
        }
        if (!v.ok()) {
            throw new OpsctlException(
                    ExitCode.FAILED,
                    "backup " + m.name() + " failed verification: "
                            + v.problems().getFirst()
                            + (v.problems().size() > 1
                                    ? " (and " + (v.problems().size() - 1) + " more)"
                                    : ""),
                    null,
                    doc); // --json: this document, once, in place of the generic failure
        }
        return ExitCode.OK;
    }
}
