package com.aiphoto.opsctl.backup;

import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Removes what killed (kill -9, power loss) backups and verifies left: client option files holding the password,
 * .partial data files and manifest temp files (only while no backup holds the directory lock), and verify's
 * scratch databases no running verify holds (its server-side lock, named after the database, is free).
 */
@Command(
        name = "cleanup",
        description = {
            "Remove what interrupted backups and verifies left behind:",
            "password option files, .partial files, manifest temp files, <db>_verify_* scratch databases not in use."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:cleaned (or nothing to clean)",
            "1:something could not be removed, or the database" + " is unreachable (the directory is cleaned first)",
            "2:usage error"
        })
final class BackupCleanupCommand extends OpsCommand {
    @Mixin
    BackupDirOption dir;

    @Option(names = "--dry-run", description = "List what would be removed; remove nothing.")
    boolean dryRun;

    /** --json. */
    record Cleaned(boolean dryRun, List<String> removed) {}

    @Override
    public Integer call() throws IOException, SQLException, InterruptedException {
        PrintWriter out = out();
        BackupStore store = dir.store(settings());
        List<String> removed = new ArrayList<>();
        List<BackupStore.Leftover> leftovers = store.leftovers(); // before locking: it tells .partial from busy
        List<String> markedDatabases = new ArrayList<>();
        if (!leftovers.isEmpty()) {
            try (BackupStore.DirectoryLock lock = store.lock(m -> err().println("opsctl: " + m))) {
                for (BackupStore.Leftover l : leftovers) {
                    String n = l.file().getFileName().toString();
                    if (n.startsWith(BackupStore.VERIFY_MARKER)) {
                        markedDatabases.add(BackupStore.VerifyMarker.parse(n).database());
                        continue; // removed once its database is dropped
                    }
                    if (!dryRun) {
                        Files.deleteIfExists(l.file());
                    }
                    removed.add(l.what());
                }
            }
        }
        if (!DatabaseSettings.from(settings()).embedded()) { // the embedded store has no scratch databases
            try (OpsDatabase db = openDatabase()) {
                for (String scratch : unusedScratchDatabases(db, db.settings().name(), markedDatabases)) {
                    if (!dryRun) {
                        try (Connection c = db.dataSource().getConnection();
                                Statement st = c.createStatement()) {
                            st.execute("DROP DATABASE IF EXISTS " + TableChecksums.quote(scratch));
                        }
                    }
                    removed.add("scratch database " + scratch);
                }
            }
        }
        if (!dryRun) {
            for (BackupStore.Leftover l : leftovers) {
                if (l.file().getFileName().toString().startsWith(BackupStore.VERIFY_MARKER)) {
                    Files.deleteIfExists(l.file());
                }
            }
        }
        if (json()) {
            out.println(Json.write(new Cleaned(dryRun, removed)));
        } else {
            removed.forEach(r -> out.println((dryRun ? "would remove " : "removed ") + r));
            out.println((dryRun ? "dry run: " : "") + Format.plural(removed.size(), "leftover")
                    + (dryRun ? " to remove" : " removed") + " (" + store.dir() + ")");
        }
        return ExitCode.OK;
    }

    /** Scratch databases of this database's verifies (and those markers name) that no session holds. */
    private static List<String> unusedScratchDatabases(OpsDatabase db, String database, List<String> marked)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT schema_name, IS_USED_LOCK(schema_name)"
                        + " FROM information_schema.schemata WHERE schema_name LIKE ?")) {
            String base = BackupVerifier.scratchBase(database);
            ps.setString(1, base.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "\\_verify\\_%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (rs.getObject(2) == null
                            && (BackupVerifier.isScratch(database, name) || marked.contains(name))) {
                        out.add(name);
                    }
                }
            }
        }
        return out;
    }
}
