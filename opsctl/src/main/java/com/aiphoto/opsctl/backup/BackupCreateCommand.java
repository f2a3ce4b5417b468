package com.aiphoto.opsctl.backup;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(
        name = "create",
        description = {
            "Consistent logical backup of the application database.",
            "mariadb-dump (or mysqldump) --single-transaction, compressed and hashed in-process; the manifest"
                    + " (<name>.json) is written last."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:backup written (and uploaded, with --upload)",
            "1:failed: nothing kept (or the upload" + " failed: the local backup is kept)",
            "2:usage error",
            "3:no dump tool, or no MySQL configured"
        })
final class BackupCreateCommand extends OpsCommand {
    @Mixin
    BackupDirOption dir;

    @Option(
            names = "--compress",
            paramLabel = "zstd|gzip|none",
            defaultValue = "zstd",
            description = "Compression (default: ${DEFAULT-VALUE}; gzip when zstd cannot load here).")
    Compression compression;

    @Option(names = "--tag", paramLabel = "TAG", description = "Appended to the name, e.g. before-upgrade.")
    String tag;

    @Option(
            names = "--upload",
            description =
                    "Copy the backup and its manifest to COS (backups/) and read the copy" + " back to compare hashes.")
    boolean upload;

    @Option(names = "--dry-run", description = "Say what would be backed up where; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (tag != null && !tag.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new ParameterException(spec.commandLine(), "--tag: letters, digits, '.', '_' and '-' only (1-40)");
        }
        Settings settings = settings();
        PrintWriter out = out();
        BackupStore store = dir.store(settings);
        if (upload) {
            CosUploader.check(settings);
        }
        try (OpsDatabase db = openDatabase()) {
            String database = db.settings().name();
            if (dryRun) {
                out.println("dry run: would back up " + db.describe() + " into " + store.dir() + " ("
                        + compression.orFallback() + ")" + (upload ? " and upload it to COS" : ""));
                return ExitCode.OK;
            }
            BackupManifest m =
                    new BackupCreator(db, err(), quiet(), Clock.systemUTC()).create(store, database, compression, tag);
            if (upload) {
                m = CosUploader.upload(settings, store, m, err(), quiet());
            }
            if (json()) {
                out.println(Json.write(new Created(m, store.file(m))));
            } else {
                out.println(summary(m) + "\n  " + store.file(m)
                        + (m.upload() == null
                                ? ""
                                : "\n  uploaded to cos://" + m.upload().bucket() + "/"
                                        + m.upload().key() + " (read back, same hash)"));
            }
        }
        return ExitCode.OK;
    }

    /** --json: the manifest as written, plus where the data file is. */
    record Created(@JsonUnwrapped BackupManifest manifest, Path path) {}

    static String summary(BackupManifest m) {
        long rows = m.tables().stream()
                .mapToLong(TableChecksums.TableSum::rows)
                .filter(r -> r > 0)
                .sum();
        return "backup " + m.name() + ": " + Format.bytes(m.size()) + " " + m.compression() + " (SQL "
                + Format.bytes(m.sqlSize()) + "), " + Format.plural(m.tables().size(), "table") + ", "
                + Format.plural(rows, "row") + ", schema version " + m.schemaVersion() + ", "
                + Format.millis(m.durationMs());
    }
}
