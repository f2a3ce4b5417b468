package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.Opsctl;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A verify interrupted by SIGTERM cleans up after itself; after SIGKILL, status names the leftovers and cleanup removes them. */
class BackupInterruptTest {
    private static SeededDatabase seeded;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() {
        seeded = SeededDatabase.create("interrupt", 10);
        // about 60 MB of SQL: its restore runs long enough to be interrupted part-way
        seeded.exec(List.of(
                "CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(255) NOT NULL)",
                "INSERT INTO big SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_300000"));
        // more tables: a manifest over 1 KiB, for the file size limit below
        seeded.exec(java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> "CREATE TABLE extra_" + i + " (id INT PRIMARY KEY)")
                .toList());
    }

    @AfterAll
    static void drop() {
        seeded.close();
    }

    @Test
    void sigtermDuringVerifyDropsTheScratchDatabaseAndTheOptionFile() throws Exception {
        Path backups = backup();
        Process verify = opsctl(backups, "backup", "verify", "latest", "-q");
        awaitScratchLoading();
        verify.destroy(); // SIGTERM, as systemd or Ctrl-C (SIGINT runs the same hooks)
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, verify.exitValue(), "ended by the signal, part-way");
        assertEquals(List.of(), scratchDatabases());
        assertEquals(List.of(), hidden(backups));
    }

    @Test
    void afterSigkillStatusReportsTheLeftoversAndCleanupRemovesThem() throws Exception {
        Path backups = backup();
        Process verify = opsctl(backups, "backup", "verify", "latest", "-q");
        awaitScratchLoading();
        verify.destroyForcibly();
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, verify.exitValue(), "killed part-way");
        List<String> left = scratchDatabases();
        assertEquals(1, left.size(), left.toString());
        Map<String, String> env = seeded.env(backups);

        Cli.Result status = Cli.run(env, "backup", "status");
        assertTrue(
                status.out().contains("scratch database " + left.getFirst() + " of an interrupted verify"),
                status.out());
        assertTrue(status.out().contains("client option file .client-" + verify.pid() + "-"), status.out());
        assertTrue(status.out().contains("(opsctl backup cleanup removes them)"), status.out());

        Cli.Result dry = Cli.run(env, "backup", "cleanup", "--dry-run");
        assertEquals(ExitCode.OK, dry.code(), dry.all());
        assertEquals(left, scratchDatabases(), "dry run drops nothing");

        Cli.Result cleanup = Cli.run(env, "backup", "cleanup");
        assertEquals(ExitCode.OK, cleanup.code(), cleanup.all());
        assertTrue(cleanup.out().contains("removed scratch database " + left.getFirst()), cleanup.out());
        assertEquals(List.of(), scratchDatabases());
        assertEquals(List.of(), hidden(backups));
        assertFalse(Cli.run(env, "backup", "status").out().contains("interrupted runs left"));
    }

    @Test
    void aManifestThatCannotBeWrittenLeavesNoTempFileAndTheOldManifest() throws Exception {
        Path backups = backup("--compress", "gzip"); // zstd-jni would need to unpack its library (a file) first
        Path manifest;
        try (Stream<Path> s = Files.list(backups)) {
            manifest = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String before = Files.readString(manifest);
        assertTrue(before.length() > 1024, "the manifest must outgrow the 1 KiB file size limit below");
        // a full disk, as the kernel reports a file size limit (EFBIG; ENOSPC takes the same path): no file may
        // grow past 1 KiB, so verify cannot write the manifest with its result
        Process verify = opsctl(
                backups,
                List.of("bash", "-c", "ulimit -f 1 && exec \"$@\"", "limited"),
                "backup",
                "verify",
                "latest",
                "-q");
        assertTrue(verify.waitFor(120, TimeUnit.SECONDS));
        String stderr = Files.readString(dir.resolve("stderr.txt"));
        assertEquals(ExitCode.FAILED, verify.exitValue(), stderr);
        assertTrue(stderr.contains("cannot verify"), stderr);
        assertEquals(
                List.of(),
                hidden(backups).stream()
                        .filter(p -> p.toString().endsWith(BackupStore.TMP))
                        .toList());
        try (Stream<Path> s = Files.list(backups)) {
            assertEquals(
                    List.of(),
                    s.filter(p -> p.toString().endsWith(BackupStore.TMP)).toList());
        }
        assertEquals(before, Files.readString(manifest), "the manifest as it was");
        assertEquals(List.of(), scratchDatabases());
    }

    @Test
    void verifyProgressCountsTheSqlNotTheCompressedFile() throws IOException {
        Path backups = backup();
        BackupManifest m = new BackupStore(backups).find("latest");
        Cli.Result r = Cli.run(seeded.env(backups), "backup", "verify", "latest");
        assertEquals(ExitCode.OK, r.code(), r.all());
        // the ~60 MB restore usually takes more than the 2 s before the first progress line; on a fast machine
        // it may not (ByteProgressTest covers the lines themselves with a test clock)
        java.util.Optional<String> first =
                r.errLines().stream().filter(l -> l.contains("restore into ")).findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                first.isPresent(), "the restore took under 2 s: no progress line to check");
        String line = first.get();
        assertTrue(
                line.contains("% of " + com.aiphoto.opsctl.cli.Format.bytes(m.sqlSize()) + ", "),
                line + " / SQL " + m.sqlSize() + ", file " + m.size());
    }

    private Path backup(String... options) {
        Path backups = dir.resolve("backups");
        Cli.Result r = Cli.run(
                seeded.env(backups),
                Stream.concat(Stream.of("backup", "create", "-q"), Stream.of(options))
                        .toArray(String[]::new));
        assertEquals(ExitCode.OK, r.code(), r.all());
        return backups;
    }

    /** opsctl in a JVM of its own (signals end a process), in an empty directory (no ./.env). */
    private Process opsctl(Path backups, String... args) throws IOException {
        return opsctl(backups, List.of(), args);
    }

    /** {@code wrapper}: a command the JVM's command line is appended to (e.g. to set a resource limit). */
    private Process opsctl(Path backups, List<String> wrapper, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Opsctl.class.getName()));
        command.addAll(List.of(args));
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().putAll(seeded.env(backups));
        return pb.start();
    }

    /** Waits until the verify's scratch copy has the big table (its load is under way). */
    private static void awaitScratchLoading() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Connection c = connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_name = 'big'"
                            + " AND table_schema LIKE '" + seeded.name() + "\\_verify\\_%'")) {
                if (rs.next()) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no verify seen loading");
    }

    private static List<String> scratchDatabases() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW DATABASES LIKE '" + seeded.name() + "\\_verify\\_%'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Option files, verify markers and partial files in the backup directory (the lock file aside). */
    private static List<Path> hidden(Path backups) throws IOException {
        try (Stream<Path> s = Files.list(backups)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return (n.startsWith(".") && !n.equals(BackupStore.LOCK)) || n.endsWith(BackupStore.PARTIAL);
                    })
                    .toList();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestDatabases.serverUrl(), TestDatabases.user(), TestDatabases.password());
    }
}
