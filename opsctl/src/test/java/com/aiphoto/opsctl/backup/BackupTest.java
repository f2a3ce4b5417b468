package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.testing.Schemas;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup create / verify / restore with the real mariadb-dump and mariadb client, on a seeded database. */
class BackupTest {
    private static SeededDatabase seeded;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() {
        seeded = SeededDatabase.create("backup", 3000);
    }

    @AfterAll
    static void drop() {
        seeded.close();
    }

    private Map<String, String> env() {
        return seeded.env(dir.resolve("backups"));
    }

    private Map<?, ?> create(Map<String, String> env, String... extra) {
        String[] args = Stream.concat(Stream.of("backup", "create", "--json"), Stream.of(extra))
                .toArray(String[]::new);
        Cli.Result r = Cli.run(env, args);
        assertEquals(ExitCode.OK, r.code(), r.all());
        return Cli.json(r.out());
    }

    @Test
    void createVerifyAndRestoreIntoANewDatabaseGiveIdenticalTables() throws IOException {
        Map<?, ?> m = create(env());
        Path file = Path.of((String) m.get("path"));
        assertTrue(file.getFileName().toString().endsWith(".sql.zst"), file.toString());
        assertEquals("aligned", m.get("snapshot"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.toString().endsWith(".partial")).toList());
        }
        if (Cli.posix(dir)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        }
        List<TableChecksums.TableSum> source = SeededDatabase.checksums(seeded.name());
        assertEquals(
                3001,
                source.stream()
                        .filter(t -> t.table().equals("users"))
                        .findFirst()
                        .orElseThrow()
                        .rows());
        assertEquals(
                source.stream().map(TableChecksums.TableSum::table).toList(),
                ((List<?>) m.get("tables"))
                        .stream().map(t -> ((Map<?, ?>) t).get("name")).toList());

        Cli.Result verify = Cli.run(env(), "backup", "verify", "latest");
        assertEquals(ExitCode.OK, verify.code(), verify.all());
        assertTrue(
                verify.out().contains(": OK: hash matches; 3 tables restored with the same rows and content"),
                verify.out());
        assertTrue(Cli.run(env(), "backup", "list").out().contains(" ok        ok "), "list shows it verified");

        try (TestDatabases.Scratch target = TestDatabases.create("restored")) {
            Cli.Result restore =
                    Cli.run(env(), "backup", "restore", (String) m.get("name"), "--target-db", target.name(), "--yes");
            assertEquals(ExitCode.OK, restore.code(), restore.all());
            assertTrue(restore.out().contains("every table matches the manifest"), restore.out());
            assertEquals(source, SeededDatabase.checksums(target.name()), "every table identical (checksums)");
            assertEquals(Schemas.tables(seeded.scratch()), Schemas.tables(target), "and the same schema");
            assertNoScratchDatabasesLeft();
        }
    }

    @Test
    void oneChangedRowFailsVerify() throws IOException {
        Map<?, ?> m = create(env());
        Path file = Path.of((String) m.get("path"));
        String sql = decompress(file);
        assertTrue(sql.contains("'" + SeededDatabase.UNIQUE_EMAIL + "'"));
        compress(sql.replace("'" + SeededDatabase.UNIQUE_EMAIL + "'", "'alicf@example.com'"), file);

        Cli.Result r = Cli.run(env(), "backup", "verify", (String) m.get("name"));
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertTrue(
                r.err().contains("failed verification: data file") && r.err().contains("does not have the SHA-256"),
                r.err());

        // the same edit with the manifest's file hash updated to match: only the content comparison can see it
        Path manifest = file.resolveSibling(m.get("name") + ".json");
        String json = Files.readString(manifest)
                .replace((String) m.get("sha256"), BackupStore.sha256(file))
                .replace("\"size\":" + ((Number) m.get("size")).longValue(), "\"size\":" + Files.size(file));
        Files.writeString(manifest, json);
        r = Cli.run(env(), "backup", "verify", (String) m.get("name"));
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertTrue(r.out().contains("problem: table users: content checksum "), r.out());
        assertTrue(r.out().contains("(same row count, 3001)"), r.out());
        // --json: the verification's own document, once (not followed by a generic failure document)
        Cli.Result asJson = Cli.run(env(), "--json", "backup", "verify", (String) m.get("name"));
        assertEquals(ExitCode.FAILED, asJson.code(), asJson.all());
        Map<?, ?> doc = Cli.json(asJson.out());
        assertEquals(false, doc.get("ok"), asJson.out());
        assertTrue(doc.get("problems").toString().contains("table users: content checksum "), asJson.out());
        Cli.Result status = Cli.run(env(), "backup", "status");
        assertEquals(CheckStatus.CRITICAL.exitCode, status.code(), status.all());
        assertTrue(status.out().contains("FAILED verification"), status.out());
        assertNoScratchDatabasesLeft();
    }

    @Test
    void aFailedRestoreIntoALiveDatabaseNamesTheSafetyBackupEvenQuietAndInJson() throws IOException {
        Map<?, ?> m = create(env());
        Path file = Path.of((String) m.get("path"));
        // a backup that loads part-way and then fails (its hashes made to match, as a damaged tool could write)
        String sql = decompress(file);
        int at = sql.indexOf("INSERT INTO `users`");
        compress(sql.substring(0, at) + "INSERT INTO `no_such_table` VALUES (1);\n" + sql.substring(at), file);
        Path manifest = file.resolveSibling(m.get("name") + ".json");
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace((String) m.get("sha256"), BackupStore.sha256(file))
                        .replace("\"size\":" + ((Number) m.get("size")).longValue(), "\"size\":" + Files.size(file))
                        .replace((String) m.get("sqlSha256"), sha256(decompress(file))));
        try (TestDatabases.Scratch live = TestDatabases.create("live")) {
            TestDatabases.exec("CREATE TABLE `" + live.name() + "`.precious (id INT PRIMARY KEY)");
            TestDatabases.exec("INSERT INTO `" + live.name() + "`.precious VALUES (42)");
            Cli.Result dry = Cli.run(
                    env(),
                    "--json",
                    "backup",
                    "restore",
                    (String) m.get("name"),
                    "--target-db",
                    live.name(),
                    "--dry-run");
            assertEquals(ExitCode.OK, dry.code(), dry.all());
            Map<?, ?> plan = Cli.json(dry.out());
            assertEquals(true, plan.get("dryRun"), dry.out());
            assertEquals(live.name(), plan.get("database"));
            assertEquals(1, plan.get("replacedObjects"));
            assertEquals(true, plan.get("safetyBackupFirst"));
            assertEquals(false, plan.get("createsDatabase"));
            assertEquals(
                    1,
                    ((List<?>) Cli.json(Cli.run(env(), "--json", "backup", "list")
                                            .out())
                                    .get("backups"))
                            .size(),
                    "a dry run takes no safety backup");
            Cli.Result r = Cli.run(
                    env(),
                    "-q",
                    "--json",
                    "backup",
                    "restore",
                    (String) m.get("name"),
                    "--target-db",
                    live.name(),
                    "--yes");
            assertEquals(ExitCode.FAILED, r.code(), r.all());
            Map<?, ?> doc = Cli.json(r.out());
            String safety = (String) doc.get("safetyBackup");
            assertTrue(safety.endsWith("-pre-restore"), r.out());
            assertTrue(r.err().contains("no_such_table"), r.err());
            assertTrue(r.err().contains("opsctl backup restore " + safety + " --target-db " + live.name()), r.err());

            Cli.Result back = Cli.run(env(), "backup", "restore", safety, "--target-db", live.name(), "--yes");
            assertEquals(ExitCode.OK, back.code(), back.all());
            assertEquals(
                    1,
                    SeededDatabase.checksums(live.name()).stream()
                            .filter(t -> t.table().equals("precious"))
                            .findFirst()
                            .orElseThrow()
                            .rows());
        }
    }

    private static String sha256(String text) {
        return java.util.HexFormat.of().formatHex(BackupStore.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void listReadsManifestsAndSizesWithoutHashingVerifyHashes() throws IOException {
        Map<?, ?> m = create(env());
        Path file = Path.of((String) m.get("path"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1; // same size, other bytes: only a hash can tell
        Files.write(file, bytes);
        assertEquals("ok", listed("checksum"), "list does not re-hash every file on each call");
        Cli.Result r = Cli.run(env(), "backup", "verify", "latest");
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertTrue(r.err().contains("does not have the SHA-256"), r.err());
        Files.write(file, new byte[] {1, 2, 3});
        assertEquals("MISMATCH", listed("checksum"));
        Files.delete(file);
        assertEquals("missing", listed("checksum"));
    }

    private Object listed(String field) {
        return ((Map<?, ?>) ((List<?>) Cli.json(Cli.run(env(), "backup", "list", "--json")
                                        .out())
                                .get("backups"))
                        .getFirst())
                .get(field);
    }

    @Test
    void manifestsOfTheServerSideChecksumMethodsStillVerifyWithTheirMethod() throws IOException {
        Map<?, ?> m = create(env());
        assertEquals("dump-sha256-v1", m.get("checksums"));
        Path manifest = Path.of((String) m.get("path")).resolveSibling(m.get("name") + ".json");
        String written = Files.readString(manifest);
        // rewrite the manifest as older builds wrote it: row-md5-v2, and the first format (no method named, v1)
        for (TableChecksums.Method old : List.of(TableChecksums.Method.V2, TableChecksums.Method.V1)) {
            String json = written.replace(
                    "\"checksums\":\"dump-sha256-v1\"",
                    old == TableChecksums.Method.V1 ? "\"checksums\":null" : "\"checksums\":\"" + old.id + "\"");
            Map<String, String> sums = new HashMap<>();
            SeededDatabase.checksums(seeded.name(), old).forEach(t -> sums.put(t.table(), t.checksum()));
            for (Object t : (List<?>) m.get("tables")) {
                Map<?, ?> table = (Map<?, ?>) t;
                json = json.replace((String) table.get("checksum"), sums.get((String) table.get("name")));
            }
            Files.writeString(manifest, json);
            Cli.Result r = Cli.run(env(), "backup", "verify", "latest");
            assertEquals(ExitCode.OK, r.code(), old + ": " + r.all());
            // and it is their method that runs: one recorded checksum off fails it
            Files.writeString(manifest, json.replace(sums.get("users"), "0000000000000000"));
            r = Cli.run(env(), "backup", "verify", "latest");
            assertEquals(ExitCode.FAILED, r.code(), old + ": " + r.all());
            assertTrue(r.out().contains("problem: table users: content checksum " + sums.get("users")), r.out());
        }
    }

    @Test
    void aRestoredCopyDumpsToTheSameDataLinesTablesWithoutAPrimaryKeyFloatsAndSplitInsertsIncluded() throws Exception {
        try (SeededDatabase odd = SeededDatabase.create("redump", 200)) {
            odd.exec(List.of(
                    // no primary key, rows not in any order, holes from deletes, updates in place
                    "CREATE TABLE nopk (v VARCHAR(20) NULL, n INT NULL)",
                    "INSERT INTO nopk SELECT CONCAT('r', (seq * 7919) % 1000), IF(seq % 9 = 0, NULL, seq)"
                            + " FROM seq_1_to_1000",
                    "DELETE FROM nopk WHERE n % 13 = 0",
                    "UPDATE nopk SET v = CONCAT(v, '!') WHERE n % 17 = 0",
                    "INSERT INTO nopk VALUES ('late', -1), ('late', -1)",
                    // a unique key but no primary key (InnoDB clusters on it); an Aria table with a reused hole
                    "CREATE TABLE uk (code CHAR(3) NOT NULL, note TEXT NULL, UNIQUE KEY (code))",
                    "INSERT INTO uk VALUES ('zzz', NULL), ('aaa', 'x'), ('mmm', '')",
                    "CREATE TABLE aria (id INT, s VARCHAR(10)) ENGINE=Aria",
                    "INSERT INTO aria VALUES (3, 'c'), (1, 'a'), (2, 'b')",
                    "DELETE FROM aria WHERE id = 1",
                    "INSERT INTO aria VALUES (9, 'z')",
                    // floats printed and parsed back; times in a zone that is not UTC
                    "CREATE TABLE num (id INT PRIMARY KEY, f FLOAT NULL, d DOUBLE NULL, t TIMESTAMP(3) NULL,"
                            + " b BIT(5) NULL, j JSON NULL)",
                    "SET time_zone = '+08:00'",
                    "INSERT INTO num VALUES (1, 0.1, 1/3, '2024-03-31 01:30:00.123', b'10101', '{\"a\": [1, 2.5]}'),"
                            + " (2, 3.4e38, -1.7976931348623157e308, '1970-01-01 08:00:01', b'0', NULL),"
                            + " (3, 1.17549435e-38, 4.9e-324, NULL, NULL, '\"\u00e9\"')",
                    // over mariadb-dump's net_buffer_length: the rows go into several INSERT statements
                    "CREATE TABLE wide (id INT PRIMARY KEY, pad VARCHAR(1000) NOT NULL)",
                    "INSERT INTO wide SELECT seq, REPEAT(MD5(seq), 30) FROM seq_1_to_3000"));
            Path backups = dir.resolve("odd");
            Cli.Result created = Cli.run(odd.env(backups), "backup", "create", "--json");
            assertEquals(ExitCode.OK, created.code(), created.all());
            Map<?, ?> m = Cli.json(created.out());
            String sql = decompress(Path.of((String) m.get("path")));
            assertTrue(sql.split("INSERT INTO `wide` VALUES", -1).length > 3, "wide split into several statements");

            Cli.Result verify = Cli.run(odd.env(backups), "backup", "verify", "latest");
            assertEquals(ExitCode.OK, verify.code(), verify.all());
            assertTrue(verify.out().contains("8 tables restored with the same rows and content"), verify.out());

            // the same, directly: the original, and a copy restored from the backup, dump to the same data lines
            com.aiphoto.core.db.DatabaseSettings settings = com.aiphoto.core.db.DatabaseSettings.from(
                    com.aiphoto.core.config.Settings.of(odd.scratch().settings()));
            List<TableChecksums.TableSum> original = DumpDigests.of(settings, odd.name(), backups);
            try (TestDatabases.Scratch copy = TestDatabases.create("redumped")) {
                Cli.Result restore = Cli.run(
                        odd.env(backups),
                        "backup",
                        "restore",
                        (String) m.get("name"),
                        "--target-db",
                        copy.name(),
                        "--yes");
                assertEquals(ExitCode.OK, restore.code(), restore.all());
                assertEquals(original, DumpDigests.of(settings, copy.name(), backups));
            }
            // the row lines counted are the tables' rows, as the server counts them
            Map<String, Long> rows = new java.util.TreeMap<>();
            original.forEach(t -> rows.put(t.table(), t.rows()));
            Map<String, Long> counted = new java.util.TreeMap<>();
            SeededDatabase.checksums(odd.name()).forEach(t -> counted.put(t.table(), t.rows()));
            assertEquals(counted, rows);
            assertEquals(3000L, rows.get("wide"));
        }
    }

    @Test
    void aBackupTakenUnderALiveWriterVerifies() throws Exception {
        try (SeededDatabase busy = SeededDatabase.create("busy", 20000);
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
            Future<?> writer = pool.submit(() -> {
                try (var c = java.sql.DriverManager.getConnection(
                                busy.scratch().jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                        var st = c.createStatement()) {
                    for (int i = 0; !stop.get(); i++) {
                        // each write touches rows early and late in the dump's order, in one transaction
                        st.execute("UPDATE users SET balance = balance + 1 WHERE id IN (1, 10000, 20000)");
                        st.execute(
                                "INSERT INTO orders (user_id, amount_fen) VALUES (" + (1 + i % 20000) + ", " + i + ")");
                        writes.incrementAndGet();
                    }
                }
                return null;
            });
            Path backups = dir.resolve("busy");
            Cli.Result created;
            int atStart;
            int atEnd;
            try {
                while (writes.get() < 50) {
                    Thread.sleep(5);
                }
                atStart = writes.get();
                created = Cli.run(busy.env(backups), "backup", "create", "--json");
                atEnd = writes.get();
            } finally {
                stop.set(true);
                writer.get(30, TimeUnit.SECONDS);
            }
            assertEquals(ExitCode.OK, created.code(), created.all());
            assertTrue(atEnd > atStart + 5, "the writer went on during the backup: " + atStart + ", " + atEnd);
            Cli.Result verify = Cli.run(busy.env(backups), "backup", "verify", "latest");
            assertEquals(ExitCode.OK, verify.code(), verify.all());
        }
    }

    @Test
    void unreachableDatabaseLeavesNothing() throws IOException {
        Map<String, String> env = new HashMap<>(env());
        try (ServerSocket s = new ServerSocket(0)) {
            env.put("DB_PORT", String.valueOf(s.getLocalPort()));
        }
        env.put("DB_CONNECT_TIMEOUT", "1s");
        Cli.Result r = Cli.run(env, "backup", "create");
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertEquals(List.of(), backupFiles(dir.resolve("backups")));
    }

    @Test
    void dumpFailingPartWayLeavesNoManifestAndNoPartialFile() throws IOException {
        try (SeededDatabase broken = SeededDatabase.create("broken", 10)) {
            // a view whose table is gone: the dump writes the tables before it, then fails on it (exit 2)
            broken.exec(List.of(
                    "CREATE TABLE zz_gone (id INT)",
                    "CREATE VIEW zz_view AS SELECT id FROM zz_gone",
                    "DROP TABLE zz_gone"));
            Cli.Result r = Cli.run(broken.env(dir.resolve("backups")), "backup", "create");
            assertEquals(ExitCode.FAILED, r.code(), r.all());
            assertTrue(
                    r.err()
                            .startsWith("opsctl: backup of " + broken.name() + " failed, nothing kept: mariadb-dump"
                                    + " exited with code 2: "),
                    r.err());
            assertTrue(r.err().contains("zz_view"), r.err());
            assertEquals(List.of(), backupFiles(dir.resolve("backups")));
        }
    }

    @Test
    void dumpKilledPartWayLeavesNoManifestAndNoPartialFile() throws Exception {
        try (SeededDatabase big = SeededDatabase.create("killed", 10);
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            // about 80 MB of SQL: the dump runs long enough to be caught part-way
            big.exec(List.of(
                    "CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(255) NOT NULL)",
                    "INSERT INTO big SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_400000"));
            Path backups = dir.resolve("backups");
            Future<Cli.Result> running = pool.submit(() -> Cli.run(big.env(backups), "backup", "create", "-q"));
            ProcessHandle dump = awaitDumpWriting(backups);
            dump.destroyForcibly();
            Cli.Result r = running.get(60, TimeUnit.SECONDS);
            assertEquals(ExitCode.FAILED, r.code(), r.all());
            assertTrue(r.err().contains("failed, nothing kept: mariadb-dump exited with code 137"), r.err());
            assertEquals(List.of(), backupFiles(backups));
        }
    }

    /** The dump child of this JVM, once the partial file has some of its output. */
    static ProcessHandle awaitDumpWriting(Path backups) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(backups)) {
                try (Stream<Path> files = Files.list(backups)) {
                    boolean writing = files.anyMatch(p -> p.toString().endsWith(BackupStore.PARTIAL)
                            && p.toFile().length() > 0);
                    var dump = ProcessHandle.current()
                            .descendants()
                            .filter(p -> p.info()
                                    .arguments()
                                    .map(a -> a.length > 0 && a[0].startsWith("--defaults-file="))
                                    .orElse(false))
                            .filter(p -> p.info().command().orElse("").endsWith("-dump")
                                    || p.info().command().orElse("").endsWith("mysqldump"))
                            .findFirst();
                    if (writing && dump.isPresent()) {
                        return dump.get();
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no dump seen writing");
    }

    @Test
    void productionMigrateTakesABackupFirst() {
        try (TestDatabases.Scratch db = TestDatabases.create("premigrate")) {
            Map<String, String> env = new HashMap<>(db.settings());
            env.put("BACKUP_DIR", dir.resolve("backups").toString());
            env.put("APP_ENV", "production");
            env.put("MIGRATIONS_LOCATION", "classpath:db/engine/nodown/up");
            Cli.Result r = Cli.run(env, "db", "migrate");
            assertEquals(ExitCode.OK, r.code(), r.all());
            assertTrue(
                    r.err().contains("opsctl: backup before migrating from version none: " + db.name() + "-"), r.err());
            String backup = r.out().substring(r.out().indexOf(", backup ") + 9).strip();
            assertTrue(backup.endsWith("-pre-migrate"), r.out());
            assertTrue(Files.exists(dir.resolve("backups").resolve(backup + ".json")));

            Cli.Result refused = Cli.run(env, "db", "rollback", "--yes");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(
                    refused.err().contains("restore the backup taken before it: opsctl backup restore " + backup),
                    refused.err());
            assertEquals(
                    ExitCode.OK, Cli.run(env, "db", "migrate", "--no-backup").code());
        }
    }

    @Test
    void twoBackupsAtTheSameMomentBothKeepTheirFiles() throws Exception {
        // the same instant, the same tag: before, both got the name of the first (and the loser deleted its file)
        BackupStore store = new BackupStore(dir.resolve("backups"));
        java.time.Instant at = java.time.Instant.parse("2025-01-02T03:04:05.678Z");
        String a = store.newName("ai_photo", at, "nightly");
        String b = store.newName("ai_photo", at, "nightly");
        assertFalse(a.equals(b), a);
        assertTrue(a.matches("ai_photo-20250102-030405\\.678Z-[0-9a-f]{6}-nightly"), a);

        // two processes at once: the directory lock makes the second wait; both backups are complete
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Cli.Result>> runs = List.of(
                    pool.submit(() -> Cli.run(env(), "backup", "create")),
                    pool.submit(() -> Cli.run(env(), "backup", "create")));
            for (Future<Cli.Result> f : runs) {
                Cli.Result r = f.get(120, TimeUnit.SECONDS);
                assertEquals(ExitCode.OK, r.code(), r.all());
            }
        }
        Map<?, ?> listing = Cli.json(Cli.run(env(), "backup", "list", "--json").out());
        List<?> rows = (List<?>) listing.get("backups");
        assertEquals(2, rows.size(), listing.toString());
        for (Object row : rows) {
            String name = (String) ((Map<?, ?>) row).get("name");
            BackupManifest m = store.find(name);
            assertEquals(m.sha256(), BackupStore.sha256(store.file(m)), name + ": its own data file");
        }
        assertEquals(List.of(), listing.get("incomplete"));
    }

    /** The backup directory's entries, but for the lock file (which stays, empty). */
    static List<Path> backupFiles(Path backups) throws IOException {
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(backups)) {
            return s.filter(p -> !p.getFileName().toString().equals(BackupStore.LOCK))
                    .toList();
        }
    }

    static void assertNoScratchDatabasesLeft() {
        try (var c = java.sql.DriverManager.getConnection(
                        TestDatabases.serverUrl(), TestDatabases.user(), TestDatabases.password());
                var st = c.createStatement();
                var rs = st.executeQuery("SHOW DATABASES LIKE '" + seeded.name() + "\\_verify\\_%'")) {
            assertFalse(rs.next(), "a scratch verify database was left behind");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String decompress(Path file) throws IOException {
        try (InputStream in =
                Compression.ofFile(file.getFileName().toString()).decompress(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void compress(String sql, Path file) throws IOException {
        try (OutputStream out =
                Compression.ofFile(file.getFileName().toString()).compress(Files.newOutputStream(file))) {
            out.write(sql.getBytes(StandardCharsets.UTF_8));
        }
    }
}
