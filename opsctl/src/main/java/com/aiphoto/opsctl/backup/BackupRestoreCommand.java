package com.aiphoto.opsctl.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import com.aiphoto.opsctl.cli.YesOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Replaces a database's contents with a backup: checks the file's hash, takes a safety backup of the target
 * (when it holds anything), empties it, loads the backup, and compares every table with the manifest.
 * Stop the servers first: they would see tables disappear and come back.
 */
@Command(name = "restore", description = {"Restore a backup into the application database (or --target-db).",
        "Checks the hash, takes a safety backup of the target first, compares the result with the manifest."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:restored; every table matches the manifest", "1:failed (named); the safety backup is kept",
                "2:usage error", "3:no --yes without a terminal"})
final class BackupRestoreCommand extends OpsCommand {
    @Mixin
    BackupDirOption dir;

    @Parameters(paramLabel = "NAME", description = "The backup to restore (see backup list), or latest.")
    String name;

    @Option(names = "--target-db", paramLabel = "DB", description = "Restore into this database instead of DB_NAME"
            + " (created when missing).")
    String targetDb;

    @Mixin
    YesOption yes;

    @Option(names = "--dry-run", description = "Check the backup and say what would happen; change nothing.")
    boolean dryRun;

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
            List<DbObject> existing = objects(db, target);
            boolean exists = existing != null;
            String what = "backup " + m.name() + " (schema version " + m.schemaVersion() + ", "
                    + Format.plural(m.tables().size(), "table") + ") into database " + target;
            if (dryRun) {
                out.println("dry run: would restore " + what + (exists ? ", replacing its "
                        + Format.plural(existing.size(), "object") + " after a safety backup" : ", creating it"));
                return ExitCode.OK;
            }
            yes.confirm("Replace everything in database " + target + " with " + m.name() + "?"
                    + (exists && !existing.isEmpty() ? " (a safety backup is taken first)" : ""));
            String safety = null;
            if (exists && !existing.isEmpty()) {
                safety = new BackupCreator(db, err, quiet, Clock.systemUTC())
                        .create(store, target, Compression.zstd, "pre-restore").name();
                if (!quiet) {
                    err.println("opsctl: safety backup of " + target + ": " + safety);
                }
            }
            empty(db, target, exists);
            SqlLoader.load(db, store.file(m), Compression.valueOf(m.compression()), target, false, err, quiet);
            List<String> problems;
            try (Connection c = db.dataSource().getConnection()) {
                problems = TableChecksums.compare(m.tables(),
                        TableChecksums.compute(c, target, TableChecksums.baseTables(c, target)));
            }
            String kept = safety == null ? "" : " (safety backup " + safety + ")";
            if (!problems.isEmpty()) {
                problems.forEach(p -> out.println("problem: " + p));
                throw new OpsctlException(ExitCode.FAILED, "restored " + target + " differs from " + m.name()
                        + ": " + problems.getFirst() + kept);
            }
            if (json()) {
                out.println(Json.write(java.util.Map.of("restored", m.name(), "database", target,
                        "safetyBackup", safety == null ? "none" : safety, "tables", m.tables().size())));
            } else {
                out.println("restored " + what + ": every table matches the manifest" + kept);
            }
        }
        return ExitCode.OK;
    }

    /** A table ("BASE TABLE"), view, sequence, procedure, function or event. */
    private record DbObject(String kind, String name) {
    }

    /** The tables, views, routines and events of {@code database}; null when it does not exist. */
    private static List<DbObject> objects(OpsDatabase db, String database) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                }
            }
            List<DbObject> out = new ArrayList<>();
            for (String sql : List.of(
                    "SELECT table_type, table_name FROM information_schema.tables WHERE table_schema = ?",
                    "SELECT routine_type, routine_name FROM information_schema.routines WHERE routine_schema = ?",
                    "SELECT 'EVENT', event_name FROM information_schema.events WHERE event_schema = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, database);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new DbObject(rs.getString(1), rs.getString(2)));
                        }
                    }
                }
            }
            return out;
        }
    }

    /** Creates the database, or drops everything in it, so the result is the backup and nothing else. */
    private static void empty(OpsDatabase db, String database, boolean exists) throws SQLException {
        String q = TableChecksums.quote(database);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            if (!exists) {
                st.execute("CREATE DATABASE " + q + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                return;
            }
            st.execute("SET SESSION foreign_key_checks = 0");
            try {
                for (DbObject object : objects(db, database)) {
                    String n = q + "." + TableChecksums.quote(object.name());
                    st.execute(switch (object.kind()) {
                        case "VIEW" -> "DROP VIEW IF EXISTS " + n;
                        case "SEQUENCE" -> "DROP SEQUENCE IF EXISTS " + n;
                        case "PROCEDURE" -> "DROP PROCEDURE IF EXISTS " + n;
                        case "FUNCTION" -> "DROP FUNCTION IF EXISTS " + n;
                        case "EVENT" -> "DROP EVENT IF EXISTS " + n;
                        default -> "DROP TABLE IF EXISTS " + n;
                    });
                }
            } finally {
                st.execute("SET SESSION foreign_key_checks = 1");
            }
        }
    }
}
