package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a password-protected MariaDB account: the dump and the client get the password through the 0600
 * option file only (never on their command line, where ps shows it), it works, the file is deleted after,
 * and no output carries the password.
 */
class BackupCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void passwordGoesThroughAPrivateOptionFileOnly() throws Exception {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        String password = "pw\"with'quotes\\and" + HexFormat.of().formatHex(b);
        try (SeededDatabase db = SeededDatabase.create("creds", 10);
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            String user = db.name().substring(0, Math.min(db.name().length(), 32));
            db.exec(List.of(
                    "CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(255) NOT NULL)",
                    "INSERT INTO big SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_100000",
                    // the procedure's definer is root: this account could not read its body back
                    "DROP PROCEDURE add_audit"));
            for (String host : List.of("localhost", "127.0.0.1")) {
                TestDatabases.exec("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY '"
                        + password.replace("\\", "\\\\").replace("'", "\\'") + "'");
                // the database and its scratch verify databases, as the README tells operators to grant
                TestDatabases.exec("GRANT ALL PRIVILEGES ON `" + db.name() + "%`.* TO '" + user + "'@'" + host + "'");
            }
            try {
                Map<String, String> env = new java.util.HashMap<>(db.env(dir.resolve("backups")));
                env.put("DB_USER", user);
                env.put("DB_PASSWORD", password);
                Future<Cli.Result> running = pool.submit(() -> Cli.run(env, "backup", "create"));
                List<String> argv = dumpArguments();
                Path options = Path.of(argv.stream()
                        .filter(a -> a.startsWith("--defaults-file="))
                        .findFirst()
                        .orElseThrow()
                        .substring("--defaults-file=".length()));
                assertTrue(argv.getFirst().startsWith("--defaults-file="), "must be the first option: " + argv);
                assertFalse(String.join(" ", argv).contains(password), argv.toString());
                if (Cli.posix(options.getParent())) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(options)));
                }
                Cli.Result create = running.get(60, TimeUnit.SECONDS);
                assertEquals(ExitCode.OK, create.code(), create.all());
                assertFalse(Files.exists(options), "the option file is deleted after the dump");

                Cli.Result verify = Cli.run(env, "backup", "verify");
                assertEquals(ExitCode.OK, verify.code(), verify.all());
                for (Cli.Result r : List.of(create, verify, Cli.run(env, "backup", "list", "--json"))) {
                    assertFalse(r.all().contains(password), r.all());
                }
                try (Stream<Path> files = Files.list(dir.resolve("backups"))) {
                    for (Path f :
                            files.filter(p -> p.toString().endsWith(".json")).toList()) {
                        assertFalse(Files.readString(f).contains(password), f.toString());
                    }
                }
            } finally {
                for (String host : List.of("localhost", "127.0.0.1")) {
                    TestDatabases.exec("DROP USER IF EXISTS '" + user + "'@'" + host + "'");
                }
            }
        }
    }

    /** An account that may not create the target database: a failure (exit 1) that says why, not "internal". */
    @Test
    void aRestoreIntoADatabaseTheAccountMayNotCreateFailsNamingWhy() throws Exception {
        try (SeededDatabase db = SeededDatabase.create("nocreate", 10)) {
            String user = db.name().substring(0, Math.min(db.name().length(), 32));
            String password = "nocreate-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
            for (String host : List.of("localhost", "127.0.0.1")) {
                // by its hash: the driver's debug log of this statement must not carry the password
                TestDatabases.exec("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY PASSWORD '"
                        + nativePasswordHash(password) + "'");
                TestDatabases.exec("GRANT ALL PRIVILEGES ON `" + db.name() + "%`.* TO '" + user + "'@'" + host + "'");
            }
            try {
                Map<String, String> root = db.env(dir.resolve("backups"));
                Cli.Result create = Cli.run(root, "backup", "create");
                assertEquals(ExitCode.OK, create.code(), create.all());
                Map<String, String> env = new java.util.HashMap<>(root);
                env.put("DB_USER", user);
                env.put("DB_PASSWORD", password);
                String target = "other_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
                Cli.Result r = Cli.run(env, "backup", "restore", "latest", "--target-db", target, "--yes");
                assertEquals(ExitCode.FAILED, r.code(), r.all());
                assertEquals(1, r.errLines().size(), r.err());
                assertTrue(
                        r.err().contains("into " + target + " failed")
                                && r.err().contains("denied"),
                        r.err());
                assertFalse(r.all().contains(password), r.all());
            } finally {
                for (String host : List.of("localhost", "127.0.0.1")) {
                    TestDatabases.exec("DROP USER IF EXISTS '" + user + "'@'" + host + "'");
                }
            }
        }
    }

    /** mysql_native_password's stored form of a password: '*' and the hex of SHA1(SHA1(password)). */
    private static String nativePasswordHash(String password) throws Exception {
        java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
        byte[] once = sha1.digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(once));
    }

    /** The arguments of this JVM's dump child while it dumps (not its earlier --version probe). */
    private static List<String> dumpArguments() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<List<String>> args = ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("-dump")
                            || p.info().command().orElse("").endsWith("mysqldump"))
                    .flatMap(p -> p.info().arguments().stream())
                    .map(List::of)
                    .filter(a -> a.stream().anyMatch(x -> x.startsWith("--defaults-file=")))
                    .findFirst();
            if (args.isPresent()) {
                return args.get();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no dump process seen");
    }
}
