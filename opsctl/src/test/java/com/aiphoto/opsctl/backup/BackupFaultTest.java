package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.PrivateMariaDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup create when the machine fails under it: the database server killed mid-dump (a private mariadbd, not
 * the shared test server), and a full disk (a small tmpfs: the kernel's own ENOSPC). Either way exit 1, no
 * manifest, no partial file.
 */
class BackupFaultTest {
    /** About 50 MB of SQL that compresses poorly (hex of hashes): a dump that takes a while and fills 1 MiB. */
    private static final List<String> BIG = List.of(
            "CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(255) NOT NULL)",
            "INSERT INTO big SELECT seq, CONCAT(SHA2(seq, 512), MD5(seq), SHA1(seq)) FROM seq_1_to_250000");

    @TempDir
    Path dir;

    @Test
    void theDatabaseKilledMidDumpLeavesNoManifestAndNoPartialFile() throws Exception {
        Assumptions.assumeTrue(PrivateMariaDb.available(), "no mariadbd on this machine");
        try (PrivateMariaDb server = PrivateMariaDb.start(dir.resolve("mariadb"));
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            server.exec("doomed", BIG);
            Path backups = dir.resolve("backups");
            Map<String, String> env = new HashMap<>(server.settings("doomed"));
            env.put("BACKUP_DIR", backups.toString());
            Future<Cli.Result> running = pool.submit(() -> Cli.run(env, "backup", "create", "-q"));
            BackupTest.awaitDumpWriting(backups);
            server.kill();
            Cli.Result r = running.get(60, TimeUnit.SECONDS);
            assertEquals(ExitCode.FAILED, r.code(), r.all());
            assertTrue(r.err().startsWith("opsctl: backup of doomed failed, nothing kept: "), r.err());
            assertEquals(List.of(), BackupTest.backupFiles(backups));
        }
    }

    @Test
    void aDiskFullMidDumpLeavesNoManifestAndNoPartialFile() throws Exception {
        Path full = Files.createDirectories(dir.resolve("full"));
        Assumptions.assumeTrue(
                sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", full.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try (SeededDatabase db = SeededDatabase.create("diskfull", 10)) {
            db.exec(BIG);
            Path backups = full.resolve("backups");
            Cli.Result r = Cli.run(db.env(backups), "backup", "create", "-q");
            assertEquals(ExitCode.FAILED, r.code(), r.all());
            assertTrue(r.err().startsWith("opsctl: backup of " + db.name() + " failed, nothing kept: "), r.err());
            assertTrue(r.err().contains("No space left on device"), r.err());
            assertEquals(List.of(), BackupTest.backupFiles(backups));
        } finally {
            assertEquals(0, sh("umount", full.toString()), "umount " + full);
        }
    }

    private static int sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
