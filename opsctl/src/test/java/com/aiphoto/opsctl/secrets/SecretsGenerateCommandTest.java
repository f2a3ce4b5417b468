package com.aiphoto.opsctl.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.EnvFile;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsGenerateCommandTest {
    private static final Path ENV_EXAMPLE = Path.of("..", "deploy", ".env.example");
    private static final Set<String> SECRETS =
            Set.of("JWT_SECRET", "INTERNAL_CALLBACK_SECRET", "CREDENTIALS_ENCRYPTION_KEY");

    @TempDir
    Path dir;

    private Path example() throws IOException {
        Path f = dir.resolve("ai-photo.env");
        Files.copy(ENV_EXAMPLE, f, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        return f;
    }

    @Test
    void fillsThePlaceholderSecretsOfTheExampleAndChangesNoOtherByte() throws IOException {
        Path f = example();
        List<String> before = Files.readAllLines(f);

        Cli.Result dry = Cli.run("secrets", "generate", "--env-file", f.toString());
        assertEquals(ExitCode.OK, dry.code(), dry.all());
        assertEquals(before, Files.readAllLines(f), "without --write nothing changes");
        assertEquals("rw-r--r--", mode(f));
        assertTrue(dry.out().contains("would set 3 secret(s)"), dry.out());

        // as the .deb's postinst calls it: the global --env-file before the command
        Cli.Result r = Cli.run("--env-file", f.toString(), "secrets", "generate", "--write");
        assertEquals(ExitCode.OK, r.code(), r.all());
        List<String> after = Files.readAllLines(f);
        assertEquals(before.size(), after.size());
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            String key = before.get(i).contains("=")
                    ? before.get(i).substring(0, before.get(i).indexOf('='))
                    : "";
            if (SECRETS.contains(key)) {
                assertNotEquals(before.get(i), after.get(i));
                assertTrue(after.get(i).startsWith(key + "="), after.get(i));
                changed++;
            } else {
                assertEquals(before.get(i), after.get(i), "line " + (i + 1));
            }
        }
        assertEquals(3, changed);
        assertEquals("rw-------", mode(f));
        for (String k : SECRETS) {
            assertTrue(r.out().contains(k), r.out());
        }
        assertTrue(!r.out().contains("REDIS_PASSWORD") && !r.out().contains("DB_PASSWORD"), r.out());

        Map<String, String> values = EnvFile.read(f);
        for (String k : SECRETS) {
            String v = values.get(k);
            assertFalse(r.all().contains(v), "value of " + k + " printed");
            assertFalse(dry.all().contains(v));
        }
        assertEquals("your_db_password", values.get("DB_PASSWORD"), "DB_PASSWORD is the database's, never made up");
        ConfigCheck.Report report = ConfigCheck.check(Settings.load(Map.of(), f, List.of()));
        for (String k : SECRETS) {
            assertTrue(
                    report.problems().stream().noneMatch(p -> p.contains(k)),
                    report.problems().toString());
            assertTrue(
                    report.warnings().stream().noneMatch(p -> p.contains(k)),
                    report.warnings().toString());
        }
        Cli.Result check = Cli.run("config", "check", "--env-file", f.toString());
        for (String k : SECRETS) {
            assertFalse(check.out().contains(k + " "), check.out());
        }

        byte[] written = Files.readAllBytes(f);
        Cli.Result again = Cli.run("secrets", "generate", "--write", "--env-file", f.toString());
        assertEquals(ExitCode.OK, again.code(), again.all());
        assertTrue(again.out().contains("nothing to do"), again.out());
        assertArrayEquals(written, Files.readAllBytes(f), "a second run changes nothing");
        try (var leftovers = Files.list(dir)) {
            assertEquals(List.of(f), leftovers.toList(), "no temporary file left behind");
        }
    }

    @Test
    void redisPasswordOnlyWhenRedisIsConfiguredOrAPlaceholderStandsForIt() throws IOException {
        Path f = dir.resolve("a.env");
        Files.writeString(f, "REDIS_HOST=your_redis_host\n#REDIS_PASSWORD=\n");
        assertFalse(
                Cli.run("secrets", "generate", "--env-file", f.toString()).out().contains("REDIS_PASSWORD"));

        Files.writeString(f, "REDIS_HOST=10.0.0.5\n# at least 12 characters\n#REDIS_PASSWORD=\nPORT=3000\n");
        Cli.Result r = Cli.run("secrets", "generate", "--write", "--env-file", f.toString());
        assertEquals(ExitCode.OK, r.code(), r.all());
        List<String> lines = Files.readAllLines(f);
        assertEquals("# at least 12 characters", lines.get(1));
        assertTrue(lines.get(2).startsWith("REDIS_PASSWORD="), "uncommented where it stood: " + lines);
        assertEquals("PORT=3000", lines.get(3));
        assertTrue(r.out().contains("REDIS_PASSWORD (uncommented)"), r.out());

        Files.writeString(f, "REDIS_PASSWORD=changeme\n");
        Cli.Result p = Cli.run("--json", "secrets", "generate", "--write", "--env-file", f.toString());
        Map<?, ?> doc = Cli.json(p.out());
        assertEquals(true, doc.get("written"));
        assertTrue(p.out().contains("\"REDIS_PASSWORD\""), p.out());
        String v = EnvFile.read(f).get("REDIS_PASSWORD");
        assertFalse(ConfigCheck.isPlaceholder(v));
        assertFalse(p.all().contains(v));
    }

    /** CRLF, quotes, export and inline comments survive; a key the file lacks is appended. */
    @Test
    void keepsTheFormOfEachLine() throws IOException {
        Path f = dir.resolve("b.env");
        String text =
                "# head\r\nexport JWT_SECRET=\"your_jwt\" # inline\r\n\r\nINTERNAL_CALLBACK_SECRET=xxx   # later\r\n"
                        + "CREDENTIALS_ENCRYPTION_KEY='your_key'\r\nDB_PASSWORD=your_db_password";
        Files.writeString(f, text);
        Cli.Result r = Cli.run("secrets", "generate", "--write", "--env-file", f.toString());
        assertEquals(ExitCode.OK, r.code(), r.all());
        String out = Files.readString(f, StandardCharsets.UTF_8);
        Map<String, String> values = EnvFile.read(f);
        String jwt = values.get("JWT_SECRET");
        String cb = values.get("INTERNAL_CALLBACK_SECRET");
        String key = values.get("CREDENTIALS_ENCRYPTION_KEY");
        assertEquals(
                "# head\r\nexport JWT_SECRET=\"" + jwt + "\" # inline\r\n\r\nINTERNAL_CALLBACK_SECRET=" + cb
                        + "   # later\r\nCREDENTIALS_ENCRYPTION_KEY='" + key + "'\r\nDB_PASSWORD=your_db_password",
                out);
        assertEquals(32, ConfigCheck.decodeKey32(key).orElseThrow().length);

        Files.writeString(f, "PORT=3000");
        Cli.Result a = Cli.run("secrets", "generate", "--write", "--env-file", f.toString());
        assertEquals(ExitCode.OK, a.code(), a.all());
        List<String> lines = Files.readAllLines(f);
        assertEquals("PORT=3000", lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("JWT_SECRET="), lines.toString());
    }

    /** With a database, --write records the keys (never the values) in the audit log; without one, nothing. */
    @Test
    void writesOneAuditRowWhenADatabaseIsConfigured() throws IOException {
        try (TestDatabases.Scratch db = TestDatabases.create("secretsaudit")) {
            assertEquals(ExitCode.OK, Cli.run(db.settings(), "db", "migrate").code());
            Path f = dir.resolve("db.env");
            List<String> lines = new java.util.ArrayList<>();
            db.settings().forEach((k, v) -> lines.add(k + "=" + v));
            lines.add("JWT_SECRET=your_jwt_secret");
            Files.write(f, lines);
            Cli.Result dry = Cli.run("secrets", "generate", "--env-file", f.toString());
            assertEquals(ExitCode.OK, dry.code(), dry.all());
            Jdbc jdbc = new Jdbc(db.dataSource(), Duration.ofSeconds(5));
            assertEquals(
                    0,
                    jdbc.queryOne("SELECT COUNT(*) FROM audit_logs", r -> r.getInt(1))
                            .orElseThrow());

            Cli.Result r = Cli.run("secrets", "generate", "--write", "--env-file", f.toString());
            assertEquals(ExitCode.OK, r.code(), r.all());
            assertEquals("", r.err());
            List<String> rows = jdbc.query(
                    "SELECT CONCAT(actor, ' ', action, ' ', resource_type, ' ', resource_id, ' ', details) FROM audit_logs",
                    row -> row.getString(1));
            assertEquals(1, rows.size(), rows.toString());
            assertTrue(rows.get(0).startsWith("opsctl@"), rows.get(0));
            assertTrue(rows.get(0).contains(" secrets.generate env_file " + f + " "), rows.get(0));
            assertTrue(
                    rows.get(0).contains("\"JWT_SECRET\"") && rows.get(0).contains("\"CREDENTIALS_ENCRYPTION_KEY\""),
                    rows.get(0));
            for (String k : SECRETS) {
                assertFalse(rows.get(0).contains(EnvFile.read(f).get(k)), "value of " + k + " in the audit log");
            }
        }
        // no database (a fresh install's placeholder DB_HOST): written, nothing said about auditing
        Path f = example();
        Cli.Result r = Cli.run("secrets", "generate", "--write", "--env-file", f.toString());
        assertEquals(ExitCode.OK, r.code(), r.all());
        assertEquals("", r.err());
        // a database that does not answer: written, with a warning
        Path g = dir.resolve("down.env");
        Files.writeString(g, "DB_HOST=127.0.0.1\nDB_PORT=1\nDB_USER=app\n");
        Cli.Result down = Cli.run("secrets", "generate", "--write", "--env-file", g.toString());
        assertEquals(ExitCode.OK, down.code(), down.all());
        assertTrue(down.err().contains("not recorded in the audit log"), down.err());
        assertTrue(EnvFile.read(g).containsKey("JWT_SECRET"));
    }

    @Test
    void withoutAnEnvFileItRefuses() {
        Cli.Result r = Cli.run("secrets", "generate", "--write");
        assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
        assertTrue(r.err().contains("no env file found"), r.err());
    }

    private static String mode(Path f) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
    }
}
