package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Proves a backup restores to what was backed up: the file's hash against the manifest, then a restore into a
 * scratch database {@code <db>_verify_<random>}, its SQL hash and every table's row count and content checksum
 * against the manifest, then the scratch database is dropped. The result is recorded in the manifest.
 */
final class BackupVerifier {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OpsDatabase db;
    private final PrintWriter err;
    private final boolean quiet;
    private final Clock clock;

    BackupVerifier(OpsDatabase db, PrintWriter err, boolean quiet, Clock clock) {
        this.db = db;
        this.err = err;
        this.quiet = quiet;
        this.clock = clock;
    }

    private static String randomHex() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The problems with the data file itself: missing, or not the bytes the manifest describes. */
    static List<String> fileProblems(BackupStore store, BackupManifest m) throws IOException {
        Path file = store.file(m);
        if (!Files.isRegularFile(file)) {
            return List.of("data file " + file + " is missing");
        }
        if (Files.size(file) != m.size() || !BackupStore.sha256(file).equals(m.sha256())) {
            return List.of("data file " + file.getFileName() + " does not have the SHA-256 in the manifest:"
                    + " it was changed or damaged");
        }
        return List.of();
    }

    BackupManifest verify(BackupStore store, BackupManifest m) {
        long t0 = System.nanoTime();
        try {
            List<String> problems = new ArrayList<>(fileProblems(store, m));
            if (problems.isEmpty()) {
                problems.addAll(restoreAndCompare(store, m));
            }
            BackupManifest verified = m.withVerification(new BackupManifest.Verification(
                    clock.instant(), problems.isEmpty(), List.copyOf(problems), (System.nanoTime() - t0) / 1_000_000));
            store.save(verified);
            return verified;
        } catch (IOException | SQLException e) {
            throw new OpsctlException(
                    ExitCode.FAILED, "cannot verify " + m.name() + ": " + OpsDatabase.rootCause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsctlException(ExitCode.FAILED, "verify of " + m.name() + " interrupted");
        }
    }

    private List<String> restoreAndCompare(BackupStore store, BackupManifest m)
            throws IOException, SQLException, InterruptedException {
        String base = scratchBase(m.database());
        String scratch = base + "_verify_" + randomHex();
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            // a server-side lock named after the scratch database says it is in use (backup cleanup asks)
            try (ResultSet rs = st.executeQuery("SELECT GET_LOCK('" + scratch + "', 0)")) {
                rs.next();
            }
            try {
                st.execute("CREATE DATABASE " + TableChecksums.quote(scratch) + " CHARACTER SET utf8mb4");
            } catch (SQLException e) {
                st.execute("DO RELEASE_LOCK('" + scratch + "')");
                throw new OpsctlException(
                        ExitCode.FAILED,
                        "cannot create the scratch database " + scratch + ": "
                                + e.getMessage() + " (grant CREATE and DROP on `" + base + "\\_verify\\_%`.* to "
                                + db.settings().user() + ")");
            }
            Path marker = store.dir()
                    .resolve(
                            new BackupStore.VerifyMarker(ProcessHandle.current().pid(), scratch).fileName());
            Files.deleteIfExists(marker);
            BackupStore.createPrivate(marker);
            // Ctrl-C / SIGTERM: drop the scratch copy (a full copy of the data) before the JVM exits
            Thread onSignal = new Thread(() -> dropScratch(scratch, marker), "verify-cleanup");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                List<String> problems = new ArrayList<>();
                String sql = SqlLoader.load(
                        db,
                        store.file(m),
                        Compression.valueOf(m.compression()),
                        m.sqlSize(),
                        scratch,
                        true,
                        err,
                        quiet);
                if (!sql.equals(m.sqlSha256())) {
                    problems.add("the SQL inside the file does not have the SHA-256 in the manifest");
                }
                problems.addAll(compareRestored(db, c, scratch, m, store.dir()));
                return problems;
            } catch (OpsctlException e) {
                return List.of(e.getMessage());
            } finally {
                st.execute("DROP DATABASE IF EXISTS " + TableChecksums.quote(scratch));
                st.execute("DO RELEASE_LOCK('" + scratch + "')");
                Files.deleteIfExists(marker);
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException e) {
                    // shutting down: the hook drops it too (IF EXISTS)
                }
            }
        }
    }

    /**
     * What differs between the manifest's tables and the restored copy {@code database}, checked the way the
     * manifest's checksums were taken: by the database (row-md5-v1/v2), or by dumping the copy with the backup's
     * data options and digesting its data lines (dump-sha256-v1). A dump tool other than the backup's may write
     * the same data differently; the problem then says so.
     */
    static List<String> compareRestored(
            OpsDatabase db, Connection c, String database, BackupManifest m, Path optionsDir)
            throws SQLException, IOException, InterruptedException {
        TableChecksums.Method method = m.checksumMethod();
        if (method.serverSide()) {
            return TableChecksums.compare(
                    m.tables(), TableChecksums.compute(c, database, TableChecksums.baseTables(c, database), method));
        }
        List<String> problems = TableChecksums.compare(m.tables(), DumpDigests.of(db.settings(), database, optionsDir));
        String tool = MysqlClients.dump().version();
        if (!problems.isEmpty() && !tool.equals(m.dumpTool())) {
            List<String> noted = new ArrayList<>(problems);
            noted.add("the restored copy was dumped with " + tool + ", the backup with " + m.dumpTool()
                    + ": a different dump tool may write the same rows differently");
            return noted;
        }
        return problems;
    }

    /** From the shutdown hook, on a connection of its own (the verify's may be busy). */
    private void dropScratch(String scratch, Path marker) {
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("SET SESSION lock_wait_timeout = 10"); // the killed client's statement ends first
            st.execute("DROP DATABASE IF EXISTS " + TableChecksums.quote(scratch));
            Files.deleteIfExists(marker);
        } catch (SQLException | IOException e) {
            err.println("opsctl: could not drop the scratch database " + scratch + " (opsctl backup cleanup does): "
                    + OpsDatabase.rootCause(e));
            err.flush();
        }
    }

    /** The database name cut to 40 characters, so the scratch name stays within MariaDB's 64. */
    static String scratchBase(String database) {
        return database.length() > 40 ? database.substring(0, 40) : database;
    }

    /** {@code <db>_verify_<8 hex>}: the scratch databases verify creates (never the drill's ..._verify_drill). */
    static boolean isScratch(String database, String candidate) {
        String base = scratchBase(database);
        return candidate.startsWith(base + "_verify_")
                && candidate.substring(base.length() + 8).matches("[0-9a-f]{8}");
    }
}
