package com.aiphoto.opsctl.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * opsctl health against the real server started in-process (API and admin ports), a real MariaDB scratch
 * database and the real Redis.
 */
class HealthCommandTest {
    private static final String PREFIX = TestRedis.randomPrefix();
    private static TestDatabases.Scratch db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("health");
    }

    @AfterAll
    static void drop() {
        db.close();
        TestRedis.deleteByPrefix(PREFIX);
    }

    private Map<String, String> upSettings() {
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(PREFIX));
        return HealthServers.settings(dir, m);
    }

    /** The checks of a --json document: key -> its first entry. */
    private static Map<String, Map<?, ?>> checks(Map<?, ?> doc) {
        Map<String, Map<?, ?>> m = new HashMap<>();
        ((Map<?, ?>) doc.get("checks")).forEach((k, v) -> m.put((String) k, (Map<?, ?>) ((List<?>) v).getFirst()));
        return m;
    }

    private static final List<String> ALL_KEYS = List.of(
            "api:responseTime",
            "readiness:responseTime",
            "database:connectTime",
            "database:pendingMigrations",
            "scheduler:backlog",
            "redis:ping",
            "logs:freeSpace",
            "data:freeSpace",
            "backups:freeSpace",
            "certificate:daysLeft",
            "backup:age",
            "backup:verifiedAge");

    @Test
    void everythingUpIsOkWithAFigurePerCheck() throws Exception {
        Map<String, String> s = upSettings();
        AiPhotoServer.Running running = HealthServers.start(s);
        try {
            Map<String, String> env = HealthServers.opsctlEnv(s, running);
            HealthServers.certificate(dir.resolve("certs"), "api.example.test", 90);
            Cli.Result backup = Cli.run(env, "backup", "create");
            assertEquals(ExitCode.OK, backup.code(), backup.all());
            Cli.Result verify = Cli.run(env, "backup", "verify", "latest");
            assertEquals(ExitCode.OK, verify.code(), verify.all());
            scheduledTasks(Duration.ofSeconds(20));
            // the suite's JVM loads the HTTP client and drivers on its first round (on a shared machine the
            // response times can then pass the 1 s warning); the figures checked below are the second round's
            Cli.run(env, "health");

            Cli.Result r = Cli.run(env, "health", "--json");
            assertEquals(CheckStatus.OK.exitCode, r.code(), r.all());
            Map<?, ?> doc = Cli.json(r.out());
            assertEquals("pass", doc.get("status"));
            Map<String, Map<?, ?>> checks = checks(doc);
            assertEquals(ALL_KEYS, List.copyOf(((Map<?, ?>) doc.get("checks")).keySet()), r.out());
            for (String key : ALL_KEYS) {
                Map<?, ?> c = checks.get(key);
                assertEquals("pass", c.get("status"), key + ": " + c);
                assertNotNull(c.get("observedValue"), key + " has a figure: " + c);
                assertNotNull(c.get("observedUnit"), key);
                assertNotNull(Instant.parse((String) c.get("time")), key);
            }
            assertEquals(0, ((Number) checks.get("database:pendingMigrations").get("observedValue")).intValue());
            long backlog = ((Number) checks.get("scheduler:backlog").get("observedValue")).longValue();
            assertTrue(backlog >= 19 && backlog < 60, "the overdue row's age, not the picked one's: " + backlog);
            assertEquals("api.example.test", checks.get("certificate:daysLeft").get("componentId"));
            long days = ((Number) checks.get("certificate:daysLeft").get("observedValue")).longValue();
            assertTrue(days >= 88 && days <= 90, "days left " + days);
            assertTrue(((String) checks.get("readiness:responseTime").get("output")).contains("database"));

            Cli.Result human = Cli.run(env, "health");
            assertEquals(0, human.code(), human.all());
            List<String> lines = human.out().lines().toList();
            assertTrue(lines.getFirst().startsWith("CHECK"), human.out());
            assertEquals(ALL_KEYS.size() + 2, lines.size(), human.out());
            assertTrue(lines.getLast().startsWith("health OK: 12 checks pass"), lines.getLast());

            Cli.Result nagios = Cli.run(env, "health", "--nagios");
            assertEquals(0, nagios.code(), nagios.all());
            Map<String, String> perf = assertMonitoringPluginLine(nagios.out().strip(), "OK");
            assertTrue(perf.get("api:responseTime").matches("\\d+ms;1000;3000"), perf.toString());
            assertTrue(perf.get("certificate:daysLeft:api.example.test").matches("\\d+;21:;7:"), perf.toString());
            assertTrue(perf.get("logs:freeSpace").matches("\\d+B;5242880:;1048576:;0"), perf.toString());
            assertTrue(perf.get("backup:age").matches("\\d+s;93600;180000"), perf.toString());
        } finally {
            running.stop();
        }
    }

    /** A due row (picked = false) {@code overdue} ago, and an older one already picked, which is no backlog. */
    private static void scheduledTasks(Duration overdue) throws SQLException {
        DatabaseSettings d = DatabaseSettings.from(Settings.of(db.settings()));
        try (Connection c = DriverManager.getConnection(d.jdbcUrl(), d.user(), d.password());
                Statement st = c.createStatement()) {
            // the upstream db-scheduler DDL (mariadb_tables.sql); IF NOT EXISTS once the migration adds it
            st.execute("CREATE TABLE IF NOT EXISTS scheduled_tasks (task_name VARCHAR(100) NOT NULL,"
                    + " task_instance VARCHAR(100) NOT NULL, task_data BLOB, execution_time TIMESTAMP(6) NOT NULL,"
                    + " picked BOOLEAN NOT NULL, picked_by VARCHAR(50), last_success TIMESTAMP(6) NULL,"
                    + " last_failure TIMESTAMP(6) NULL, consecutive_failures INT, last_heartbeat TIMESTAMP(6) NULL,"
                    + " version BIGINT NOT NULL, priority SMALLINT, PRIMARY KEY (task_name, task_instance))");
            st.execute("DELETE FROM scheduled_tasks");
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO scheduled_tasks (task_name, task_instance,"
                    + " execution_time, picked, version) VALUES (?, ?, ?, ?, 1)")) {
                Object[][] rows = {
                    {"due", "1", Instant.now().minus(overdue), false},
                    {"running", "1", Instant.now().minus(Duration.ofHours(2)), true},
                    {"later", "1", Instant.now().plus(Duration.ofHours(1)), false}
                };
                for (Object[] row : rows) {
                    ins.setString(1, (String) row[0]);
                    ins.setString(2, (String) row[1]);
                    ins.setTimestamp(3, Timestamp.from((Instant) row[2]));
                    ins.setBoolean(4, (Boolean) row[3]);
                    ins.executeUpdate();
                }
            }
        }
    }

    private static final Pattern PLUGIN_LINE =
            Pattern.compile("HEALTH (OK|WARNING|CRITICAL|UNKNOWN): ([^|]+) \\| (.+)");
    private static final Pattern PERF = Pattern.compile(
            "('(?:[^']|'')+'|[^\\s='|]+)=(-?\\d+(?:\\.\\d+)?)(s|ms|us|%|B|KB|MB|GB|TB|c)?((?:;[-\\d.:~@]*){0,4})");

    /** A monitoring-plugin line: service, status, text, and perfdata label=value[UOM];warn;crit;min;max. */
    static Map<String, String> assertMonitoringPluginLine(String line, String status) {
        assertEquals(1, line.lines().count(), line);
        Matcher m = PLUGIN_LINE.matcher(line);
        assertTrue(m.matches(), line);
        assertEquals(status, m.group(1));
        Map<String, String> perf = new HashMap<>();
        for (String item : m.group(3).split(" ")) {
            Matcher p = PERF.matcher(item);
            assertTrue(p.matches(), "perfdata item " + item + " in " + line);
            perf.put(p.group(1), item.substring(item.indexOf('=') + 1));
        }
        return perf;
    }

    @Test
    void databaseUnreachableIsCriticalWithTheOtherChecksStillReported() throws IOException {
        int closed = HealthServers.freePort();
        Map<String, String> m = new HashMap<>(TestRedis.serverSettings(PREFIX));
        m.putAll(Map.of(
                // production: no migration on start, so the server comes up without its database
                "APP_ENV", "production",
                "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(closed),
                "DB_USER", "nobody",
                "DB_PASSWORD", "x",
                "DB_CONNECT_TIMEOUT", "1s"));
        Map<String, String> s = HealthServers.settings(dir, m);
        AiPhotoServer.Running running = HealthServers.start(s);
        try {
            Cli.Result r = Cli.run(HealthServers.opsctlEnv(s, running), "health", "--json");
            assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
            Map<?, ?> doc = Cli.json(r.out());
            assertEquals("fail", doc.get("status"));
            Map<String, Map<?, ?>> checks = checks(doc);
            assertEquals(ALL_KEYS, List.copyOf(((Map<?, ?>) doc.get("checks")).keySet()), r.out());
            Map<?, ?> connect = checks.get("database:connectTime");
            assertEquals("fail", connect.get("status"));
            assertTrue(
                    ((String) connect.get("output")).contains("cannot connect to mysql://nobody@127.0.0.1:" + closed),
                    connect.toString());
            assertTrue(!r.all().contains("DB_PASSWORD") && !r.out().contains("\"x\""), "no password in the output");
            assertEquals("skipped", checks.get("database:pendingMigrations").get("status"));
            assertEquals("pass", checks.get("api:responseTime").get("status"), "the API still answers /health");
            assertEquals("fail", checks.get("readiness:responseTime").get("status"));
            assertTrue(((String) checks.get("readiness:responseTime").get("output")).contains("database DOWN"));
            assertEquals("pass", checks.get("redis:ping").get("status"));
            assertEquals("pass", checks.get("logs:freeSpace").get("status"));
            assertEquals("fail", checks.get("backup:age").get("status"), "production without backups");

            Cli.Result nagios = Cli.run(HealthServers.opsctlEnv(s, running), "health", "--nagios");
            assertEquals(2, nagios.code(), nagios.all());
            assertMonitoringPluginLine(nagios.out().strip(), "CRITICAL");
            assertTrue(nagios.out().contains("database:connectTime fail: cannot connect"), nagios.out());
        } finally {
            running.stop();
        }
    }

    @Test
    void serverDownIsCriticalAndRedisNotConfiguredIsSkipped() throws IOException {
        Map<String, String> env = HealthServers.nothingListening(dir, db.settings());
        Cli.Result r = Cli.run(env, "health", "--json");
        assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
        Map<String, Map<?, ?>> checks = checks(Cli.json(r.out()));
        assertEquals("fail", checks.get("api:responseTime").get("status"));
        assertTrue(
                ((String) checks.get("api:responseTime").get("output")).endsWith("connection refused"),
                checks.get("api:responseTime").toString());
        assertEquals("fail", checks.get("readiness:responseTime").get("status"));
        assertEquals("pass", checks.get("database:connectTime").get("status"), "the database itself is up");
        assertEquals("skipped", checks.get("redis:ping").get("status"));
        assertEquals("skipped", checks.get("certificate:daysLeft").get("status"), "no CERT_DIR");
        assertEquals("skipped", checks.get("backup:age").get("status"), "no BACKUP_DIR outside production");

        Cli.Result human = Cli.run(env, "health");
        assertEquals(2, human.code());
        assertTrue(
                human.out().lines().toList().getLast().startsWith("health CRITICAL: api:responseTime fail: GET http"),
                human.out());
    }

    @Test
    void changesOnlyPrintsAStateOnceAndKeepsTheExitCode() throws Exception {
        Map<String, String> env = HealthServers.nothingListening(dir, db.settings());
        java.nio.file.Path state = dir.resolve("healthcheck.state");
        Cli.Result first = Cli.run(env, "health", "--nagios", "--changes-only", state.toString());
        assertEquals(CheckStatus.CRITICAL.exitCode, first.code(), first.all());
        assertTrue(first.out().startsWith("HEALTH CRITICAL"), first.out());
        assertEquals("CRITICAL", java.nio.file.Files.readString(state).strip());
        Cli.Result again = Cli.run(env, "health", "--nagios", "--changes-only", state.toString());
        assertEquals(CheckStatus.CRITICAL.exitCode, again.code(), again.all());
        assertEquals("", again.out(), "the same state is not printed again");
        java.nio.file.Files.writeString(state, "OK\n"); // as if the last run had been healthy
        Cli.Result changed = Cli.run(env, "health", "--nagios", "--changes-only", state.toString());
        assertTrue(changed.out().startsWith("HEALTH CRITICAL"), "a change is printed: " + changed.out());
    }

    @Test
    void aHungServerCostsOnlyTheDeadline() throws Exception {
        // accepts connections and never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Map<String, String> env = HealthServers.settings(dir, db.settings());
            String url = "http://127.0.0.1:" + silent.getLocalPort();
            long t0 = System.nanoTime();
            Cli.Result r = Cli.run(env, "health", "--json", "--url", url, "--admin-url", url, "--timeout", "1s");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(2, r.code(), r.all());
            Map<String, Map<?, ?>> checks = checks(Cli.json(r.out()));
            assertEquals("fail", checks.get("api:responseTime").get("status"));
            assertEquals("pass", checks.get("database:connectTime").get("status"));
            assertTrue(ms < 5_000, "answered after " + ms + " ms, not hung");
            silent.close();
            acceptor.join();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void waitSucceedsWhenTheServerComesUpInsideTheWindow() throws Exception {
        Map<String, String> s = HealthServers.nothingListening(dir, upSettings());
        CompletableFuture<Cli.Result> health =
                CompletableFuture.supplyAsync(() -> Cli.run(s, "health", "--wait", "60s", "--nagios"));
        Thread.sleep(1500);
        AiPhotoServer.Running running = HealthServers.start(s);
        try {
            Cli.Result r = health.get();
            assertEquals(0, r.code(), r.all());
            assertTrue(r.err().contains("opsctl: health: waiting"), "it waited: " + r.err());
            assertTrue(r.err().contains("api:responseTime fail"), r.err());
            assertMonitoringPluginLine(r.out().strip(), "OK");
        } finally {
            running.stop();
        }
    }

    @Test
    void waitFailsWithTheLastErrorWhenTheServerDoesNotComeUp() throws IOException {
        Map<String, String> env = HealthServers.nothingListening(dir, db.settings());
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run(env, "health", "--wait", "2s");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, r.code(), r.all());
        assertTrue(ms >= 2000, "waited the 2 s: " + ms);
        List<String> err = r.errLines();
        assertTrue(err.getLast().startsWith("opsctl: health: still failing after 2s: api:responseTime fail:"), r.err());
        assertTrue(err.getLast().contains("connection refused"), r.err());
    }

    @Test
    void certificatesNearTheirEndWarnOrFail() throws Exception {
        Map<String, String> env = HealthServers.settings(dir, db.settings());
        HealthServers.certificate(dir.resolve("certs"), "soon.example.test", 15);
        HealthServers.certificate(dir.resolve("certs"), "very-soon.example.test", 3);
        // certbot's layout beside fullchain.pem: parts of it, not certificates of their own
        Path soonDir = dir.resolve("certs").resolve("soon.example.test");
        Files.copy(soonDir.resolve("fullchain.pem"), soonDir.resolve("cert.pem"));
        Files.copy(soonDir.resolve("fullchain.pem"), soonDir.resolve("chain.pem"));
        Cli.Result r = Cli.run(env, "health", "--json");
        List<?> certs = (List<?>) ((Map<?, ?>) Cli.json(r.out()).get("checks")).get("certificate:daysLeft");
        assertEquals(2, certs.size(), r.out());
        Map<?, ?> soon = (Map<?, ?>) certs.get(0);
        Map<?, ?> verySoon = (Map<?, ?>) certs.get(1);
        assertEquals("soon.example.test", soon.get("componentId"));
        assertEquals("warn", soon.get("status"));
        assertEquals("very-soon.example.test", verySoon.get("componentId"));
        assertEquals("fail", verySoon.get("status"));
    }

    @Test
    void aConfigurationThatCannotBeReadIsUnknownInEveryOutput() {
        Map<String, String> env = Map.of("PORT", "three thousand");
        Cli.Result json = Cli.run(env, "health", "--json");
        assertEquals(CheckStatus.UNKNOWN.exitCode, json.code(), json.all());
        Map<?, ?> doc = Cli.json(json.out());
        assertEquals("fail", doc.get("status"), "health+json knows pass, warn and fail only");
        assertTrue(((String) doc.get("description")).contains("PORT must be an integer"), doc.toString());
        Cli.Result nagios = Cli.run(env, "health", "--nagios");
        assertEquals(3, nagios.code());
        assertTrue(nagios.out().startsWith("HEALTH UNKNOWN: PORT must be an integer"), nagios.out());
        Cli.Result human = Cli.run(env, "health");
        assertEquals(3, human.code());
        assertTrue(human.err().contains("PORT must be an integer"), human.err());
    }

    @Test
    void anEmptyBackupDirectoryFailsBothBackupChecks() throws IOException {
        Map<String, String> env = HealthServers.nothingListening(dir, Map.of());
        Files.createDirectories(dir.resolve("backups"));
        Map<String, Map<?, ?>> checks =
                checks(Cli.json(Cli.run(env, "health", "--json").out()));
        for (String key : List.of("backup:age", "backup:verifiedAge")) {
            assertEquals("fail", checks.get(key).get("status"), key);
            assertTrue(
                    ((String) checks.get(key).get("output")).contains("no backups in " + dir.resolve("backups")),
                    checks.get(key).toString());
        }
    }

    @Test
    void noDatabaseInProductionFailsInsteadOfBeingSkipped() throws IOException {
        Map<String, String> env = HealthServers.nothingListening(dir, Map.of("APP_ENV", "production"));
        env.remove("DB_HOST");
        Map<String, Map<?, ?>> checks =
                checks(Cli.json(Cli.run(env, "health", "--json").out()));
        assertEquals("fail", checks.get("database:connectTime").get("status"));
        assertTrue(((String) checks.get("database:connectTime").get("output")).contains("DB_HOST is not set"));
        assertEquals("skipped", checks.get("database:pendingMigrations").get("status"));
    }
}
