package com.aiphoto.opsctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
    private static final String SECRET = "short-secret-value-xyz";
    private static final List<String> PRODUCTION_REQUIRED = List.of(
            "JWT_SECRET",
            "INTERNAL_CALLBACK_SECRET",
            "CREDENTIALS_ENCRYPTION_KEY",
            "DB_HOST",
            "REDIS_HOST",
            "TENCENT_SECRET_ID",
            "TENCENT_SECRET_KEY",
            "SMS_SDK_APP_ID",
            "SMS_SIGN_NAME",
            "SMS_TEMPLATE_ID");

    @TempDir
    Path dir;

    private Cli.Result check(Path envFile, String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "config";
        args[1] = "check";
        args[2] = "--env-file";
        args[3] = envFile.toString();
        System.arraycopy(options, 0, args, 4, options.length);
        return Cli.run(args);
    }

    @Test
    void cleanDevelopmentConfigIsOk() throws IOException {
        assertEquals(CheckStatus.OK.exitCode, Cli.run("config", "check").code());
        Cli.Result r = check(Cli.envFile(dir, "rw-------", "APP_ENV=development", "PORT=3001"));
        assertEquals(CheckStatus.OK.exitCode, r.code(), r.all());
        assertTrue(r.out().contains("config OK"), r.out());
        assertEquals("", r.err());
    }

    /** mysql-connector-j against MariaDB truncates fractional seconds: warned; MariaDB's driver: no warning. */
    @Test
    void warnsWhenTheDriverDoesNotSuitTheServer() throws IOException {
        try (TestDatabases.Scratch db = TestDatabases.create("cfgdriver")) {
            List<String> lines = new ArrayList<>();
            db.settings("mysql").forEach((k, v) -> lines.add(k + "=" + v));
            Cli.Result mysql = check(Cli.envFile(dir, "rw-------", lines.toArray(String[]::new)));
            assertEquals(CheckStatus.WARNING.exitCode, mysql.code(), mysql.all());
            assertTrue(mysql.out().contains("warning: DB_DRIVER=mysql but the server is MariaDB"), mysql.out());
            assertTrue(mysql.out().contains("set DB_DRIVER=mariadb"), mysql.out());

            lines.clear();
            db.settings("mariadb").forEach((k, v) -> lines.add(k + "=" + v));
            Cli.Result mariadb = check(Cli.envFile(dir, "rw-------", lines.toArray(String[]::new)));
            assertEquals(CheckStatus.OK.exitCode, mariadb.code(), mariadb.all());
            assertTrue(mariadb.out().contains("database: MariaDB "), mariadb.out());
        }
    }

    @Test
    void anUnreachableDatabaseIsNotAConfigurationProblem() throws IOException {
        Cli.Result r = check(Cli.envFile(dir, "rw-------", "DB_HOST=127.0.0.1", "DB_PORT=1", "DB_USER=app"));
        assertEquals(CheckStatus.OK.exitCode, r.code(), r.all());
        assertTrue(r.out().contains("database: not reached ("), r.out());
        assertTrue(r.out().contains("DB_DRIVER not checked"), r.out());
    }

    @Test
    void productionWithoutSecretsListsEveryProblem() throws IOException {
        Cli.Result r = check(Cli.envFile(dir, "rw-------", "APP_ENV=production"));
        assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
        for (String key : PRODUCTION_REQUIRED) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("problem: " + key + " ")), key + " in\n" + r.out());
        }
        assertTrue(
                r.out().contains("config CRITICAL: " + PRODUCTION_REQUIRED.size() + " problems, 0 warnings"), r.out());
    }

    @Test
    void jsonIsOneParsableDocument() throws IOException {
        Cli.Result r = check(Cli.envFile(dir, "rw-------", "APP_ENV=production"), "--json");
        assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
        assertEquals(1, r.out().lines().count(), r.out());
        Map<?, ?> doc = Cli.json(r.out());
        assertEquals("CRITICAL", doc.get("status"));
        assertEquals(dir.resolve("ai-photo.env").toString(), doc.get("envFile"));
        List<?> problems = (List<?>) doc.get("problems");
        assertEquals(PRODUCTION_REQUIRED.size(), problems.size(), problems.toString());
        assertEquals(List.of(), doc.get("warnings"));
    }

    @Test
    void nagiosIsOneLineWithPerfdata() throws IOException {
        Cli.Result r = check(Cli.envFile(dir, "rw-------", "APP_ENV=production"), "--nagios");
        assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(
                r.out().startsWith("CONFIG CRITICAL: " + PRODUCTION_REQUIRED.size() + " problems, 0 warnings; "),
                r.out());
        assertTrue(r.out().strip().endsWith(" | problems=" + PRODUCTION_REQUIRED.size() + " warnings=0"), r.out());
    }

    @Test
    void unreadableConfigIsUnknownInMachineOutput() {
        Path missing = dir.resolve("missing.env");
        Cli.Result nagios = check(missing, "--nagios");
        assertEquals(CheckStatus.UNKNOWN.exitCode, nagios.code());
        assertTrue(nagios.out().startsWith("CONFIG UNKNOWN: "), nagios.out());
        Cli.Result json = check(missing, "--json");
        assertEquals(CheckStatus.UNKNOWN.exitCode, json.code());
        assertEquals("UNKNOWN", (Cli.json(json.out())).get("status"));
    }

    @Test
    void jsonAndNagiosConflict() {
        assertEquals(
                CheckStatus.UNKNOWN.exitCode,
                Cli.run("config", "check", "--json", "--nagios").code());
    }

    @Test
    void secretValuesNeverAppear() throws IOException {
        // the secret is also pasted into a non-secret key whose check message quotes the value
        Path file = Cli.envFile(
                dir,
                "rw-r--r--",
                "APP_ENV=production",
                "JWT_SECRET=" + SECRET,
                "INTERNAL_CALLBACK_SECRET='" + SECRET + "'",
                "CREDENTIALS_ENCRYPTION_KEY=" + SECRET,
                "API_DOMAIN=" + SECRET,
                "DB_PASSWORD=" + SECRET);
        for (String[] options : List.of(
                new String[0], new String[] {"--json"}, new String[] {"--nagios"}, new String[] {"-v"}, new String[] {
                    "-q"
                })) {
            Cli.Result r = check(file, options);
            assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
            assertFalse(r.all().contains(SECRET), List.of(options) + ": " + r.all());
        }
        Cli.Result r = check(file);
        assertTrue(r.out().contains("JWT_SECRET is too short"), r.out());
        assertTrue(r.out().contains("API_DOMAIN must be an http(s) URL, got '****'"), r.out());
    }

    @Test
    void groupReadableEnvFileWarnsInDevelopment() throws IOException {
        assumeTrue(Cli.posix(dir), "no POSIX permissions on this file system");
        Path file = Cli.envFile(dir, "rw-r--r--", "APP_ENV=development");
        Cli.Result r = check(file);
        assertEquals(CheckStatus.WARNING.exitCode, r.code(), r.all());
        assertTrue(
                r.out().contains("warning: env file " + file + " is readable by group or others (mode 644)"), r.out());
    }

    @Test
    void groupReadableEnvFileIsAProblemInProduction() throws IOException {
        assumeTrue(Cli.posix(dir), "no POSIX permissions on this file system");
        Path file = Cli.envFile(dir, "rw-r-----", "APP_ENV=production");
        Cli.Result r = check(file);
        assertTrue(
                r.out().contains("problem: env file " + file + " is readable by group or others (mode 640)"), r.out());
    }

    @Test
    void referencedFilesMustExistAndKeysBePrivate() throws IOException {
        assumeTrue(Cli.posix(dir), "no POSIX permissions on this file system");
        Path key = Files.writeString(dir.resolve("apiclient_key.pem"), "not really a key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path file = Cli.envFile(
                dir, "rw-------", "WECHAT_CERT_PATH=" + key, "WECHAT_PLATFORM_CERT_PATH=" + dir.resolve("absent.pem"));
        Cli.Result r = check(file);
        assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
        assertTrue(r.out().contains("problem: WECHAT_PLATFORM_CERT_PATH names a file that does not exist"), r.out());
        assertTrue(r.out().contains("warning: WECHAT_CERT_PATH (" + key + ") is readable by group or others"), r.out());
    }

    @Test
    void quietPrintsOnlyTheSummary() throws IOException {
        Cli.Result r = check(Cli.envFile(dir, "rw-------", "APP_ENV=production"), "-q");
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith("config CRITICAL"), r.out());
    }
}
