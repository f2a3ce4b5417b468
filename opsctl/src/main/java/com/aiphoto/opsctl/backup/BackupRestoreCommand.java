package com.aiphoto.opsctl.backup;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import com.aiphoto.opsctl.cli.YesOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Replaces a database's contents with a backup: checks the file's hash, takes a safety backup of the target
 * (when it holds anything), empties it, loads the backup, and compares every table with the manifest.
 * Stop the servers first: they would see tables disappear and come back.
 */
@Command(
        name = "restore",
        description = {
            "Restore a backup into the application database (or --target-db).",
            "Checks the hash, takes a safety backup of the target first, compares the result with the manifest."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:restored; every table matches the manifest",
            "1:failed (named); the safety backup is kept",
            "2:usage error",
            "3:no --yes without a terminal"
        })
final class BackupRestoreCommand extends OpsCommand {
    @Mixin
    BackupDirOption dir;

    @Parameters(paramLabel = "NAME", description = "The backup to restore (see backup list), or latest.")
    String name;

    @Option(
            names = "--target-db",
            paramLabel = "DB",
            description = "Restore into this database instead of DB_NAME" + " (created when missing).")
    String targetDb;

    @Mixin
    YesOption yes;

    @Option(names = "--dry-run", description = "Check the backup and say what would happen; change nothing.")
    boolean dryRun;

    /** --json. */
    record Restored(String restored, String database, String safetyBackup, int tables) {}

    /** --json of --dry-run: what a restore would do; nothing is changed. */
    record Plan(
            boolean dryRun,
            String backup,
            String schemaVersion,
            int tables,
            String database,
            int replacedObjects,
            boolean createsDatabase,
            boolean safetyBackupFirst) {}

    /** --json when the restore failed after the target was touched: where its previous contents are. */
    record Failed(String failed, String database, String safetyBackup, String error) {}

    @Override
    public Integer call() throws IOException, SQLException, InterruptedException {
        Settings settings = settings();
        PrintWriter out = out();
        PrintWriter err = err();
        boolean quiet = quiet();
        BackupStore store = dir.store(settings);
        BackupManifest m = store.find(name);
        List<String> damaged = BackupVerifier.fileProblems(store, m);
        if (!damaged.isEmpty()) {
            throw new OpsctlException(ExitCode.FAILED, "refusing to restore " + m.name() + ": " + damaged.getFirst());
        }
        try (OpsDatabase db = openDatabase()) {
            String target = targetDb != null ? targetDb : db.settings().name();
            List<TargetDatabase.DbObject> existing = TargetDatabase.objects(db, target);
            boolean exists = existing != null;
            String what = "backup " + m.name() + " (schema version " + m.schemaVersion() + ", "
                    + Format.plural(m.tables().size(), "table") + ") into database " + target;
            if (dryRun) {
                boolean safetyFirst = exists && !existing.isEmpty();
                if (json()) {
                    out.println(Json.write(new Plan(
                            true,
                            m.name(),
                            m.schemaVersion(),
                            m.tables().size(),
                            target,
                            exists ? existing.size() : 0,
                            !exists,
                            safetyFirst)));
                } else {
                    out.println("dry run: would restore " + what
                            + (exists
                                    ? ", replacing its " + Format.plural(existing.size(), "object")
                                            + (safetyFirst ? " after a safety backup" : "")
                                    : ", creating it"));
                }
                return ExitCode.OK;
            }
            yes.confirm("Replace everything in database " + target + " with " + m.name() + "?"
                    + (exists && !existing.isEmpty() ? " (a safety backup is taken first)" : ""));
            String safety = null;
            if (exists && !existing.isEmpty()) {
                safety = new BackupCreator(db, err, quiet, Clock.systemUTC())
                        .create(store, target, Compression.zstd, "pre-restore")
                        .name();
                // even under -q: if anything below fails, this is what the database was
                err.println("opsctl: safety backup of " + target + ": " + safety);
                err.flush();
            }
            String kept = safety == null
                    ? ""
                    : "; the safety backup " + safety + " holds " + target + " as it was: opsctl backup restore "
                            + safety + (targetDb == null ? "" : " --target-db " + target);
            try {
                TargetDatabase.empty(db, target, exists);
                SqlLoader.load(
                        db,
                        store.file(m),
                        Compression.valueOf(m.compression()),
                        m.sqlSize(),
                        target,
                        false,
                        err,
                        quiet);
                List<String> problems;
                try (Connection c = db.dataSource().getConnection()) {
                    problems = BackupVerifier.compareRestored(db, c, target, m, store.dir());
                }
                if (!problems.isEmpty()) {
                    if (!json()) {
                        problems.forEach(p -> out.println("problem: " + p));
                    }
                    throw new OpsctlException(
                            ExitCode.FAILED,
                            "restored " + target + " differs from " + m.name() + ": " + problems.getFirst());
                }
            } catch (OpsctlException | IOException | SQLException e) {
                String message = (e instanceof OpsctlException
                                ? e.getMessage()
                                : "restore of " + m.name() + " into " + target + " failed: " + OpsDatabase.rootCause(e))
                        + kept;
                throw new OpsctlException(
                        ExitCode.FAILED,
                        message,
                        e,
                        new Failed(m.name(), target, safety == null ? "none" : safety, message));
            }
            if (json()) {
                out.println(Json.write(new Restored(
                        m.name(),
                        target,
                        safety == null ? "none" : safety,
                        m.tables().size())));
            } else {
                out.println("restored " + what + ": every table matches the manifest"
                        + (safety == null ? "" : " (safety backup " + safety + ")"));
            }
        }
        return ExitCode.OK;
    }
}
