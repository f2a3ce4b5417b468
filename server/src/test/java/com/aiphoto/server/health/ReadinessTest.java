package com.aiphoto.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.db.Migrations;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TcpProxy;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness and liveness on the admin port, migrations on start, and a database that is down. */
class ReadinessTest {
    private static final String FIXTURES = "classpath:db/fixture-migrations";

    @TempDir
    Path dir;

    @Test
    void embeddedDefaultMigratesOnStartAndIsReady() {
        var running = TestServers.start(dir, Map.of("MIGRATIONS_LOCATION", FIXTURES));
        try {
            assertFixturesApplied(running);
            Http admin = new Http(running.adminPort());
            Http.Response ready = admin.get("/observe/health/ready");
            assertEquals(200, ready.status(), ready.body());
            assertEquals("UP", check(ready.json(), "migrations").get("status").asText());
            assertEquals("UP", check(ready.json(), "database").get("status").asText());
        } finally {
            running.stop();
        }
    }

    @Test
    void mariadbMigratesOnStartOutsideProduction() {
        try (var db = TestDatabases.create("ready_dev")) {
            var running = TestServers.start(dir, with(db.settings(), "MIGRATIONS_LOCATION", FIXTURES));
            try {
                assertFixturesApplied(running);
                assertEquals(
                        200,
                        new Http(running.adminPort())
                                .get("/observe/health/ready")
                                .status());
            } finally {
                running.stop();
            }
        }
    }

    @Test
    void productionDoesNotMigrateAndIsNotReadyUntilOpsctlHasRun() {
        try (var db = TestDatabases.create("ready_prod")) {
            Map<String, String> s = with(db.settings(), "MIGRATIONS_LOCATION", FIXTURES);
            s.put("APP_ENV", "production");
            var running = TestServers.start(dir, s);
            try {
                Http admin = new Http(running.adminPort());
                Http.Response ready = admin.get("/observe/health/ready");
                assertEquals(503, ready.status(), ready.body());
                JsonNode migrations = check(ready.json(), "migrations");
                assertEquals("DOWN", migrations.get("status").asText());
                assertEquals(
                        "pending migrations: run opsctl db migrate",
                        migrations.get("data").get("message").asText());
                assertEquals(2, migrations.get("data").get("pending").asInt());
                assertEquals(200, admin.get("/observe/health/live").status(), "liveness is not about migrations");

                new Migrations(running.platform().database().dataSource(), FIXTURES).migrate();
                assertEventually(() -> admin.get("/observe/health/ready").status() == 200, Duration.ofSeconds(10));
            } finally {
                running.stop();
            }
        }
    }

    @Test
    void databaseDownGives503FastAndReadinessDown() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // production: no migration on start, so the server comes up without its database
        var running = TestServers.start(
                dir,
                Map.of(
                        "APP_ENV",
                        "production",
                        "DB_HOST",
                        "127.0.0.1",
                        "DB_PORT",
                        String.valueOf(closedPort),
                        "DB_USER",
                        "nobody",
                        "DB_PASSWORD",
                        "x",
                        "DB_CONNECT_TIMEOUT",
                        "1s"));
        try {
            Http api = new Http(running.port());
            long t0 = System.nanoTime();
            Http.Response r = api.get("/test/db");
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, r.status(), r.body());
            assertEquals(5030, r.json().get("error").get("code").asInt());
            assertTrue(took < 10_000, "answered in " + took + " ms instead of hanging");
            assertEquals(200, api.get("/health").status(), "/health touches no dependency");

            Http admin = new Http(running.adminPort());
            Http.Response ready = admin.get("/observe/health/ready");
            assertEquals(503, ready.status());
            assertEquals("DOWN", check(ready.json(), "database").get("status").asText());
            assertEquals(200, admin.get("/observe/health/live").status());
        } finally {
            running.stop();
        }
    }

    @Test
    void redisIsCheckedWhenConfigured() throws IOException {
        var running = TestServers.start(dir, Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PREFIX", "ai-photo-test-ready"));
        try {
            Http.Response ready = new Http(running.adminPort()).get("/observe/health/ready");
            assertEquals(200, ready.status(), ready.body());
            assertEquals("UP", check(ready.json(), "redis").get("status").asText());
        } finally {
            running.stop();
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        running = TestServers.start(
                dir,
                Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", String.valueOf(closedPort), "REDIS_TIMEOUT", "500ms"));
        try {
            // issue 8 (decide and document): Redis down made every instance not-ready at once, and SMS login 503
            Http.Response ready = new Http(running.adminPort()).get("/observe/health/ready");
            assertEquals(200, ready.status(), ready.body());
            JsonNode redis = check(ready.json(), "redis");
            assertEquals("UP", redis.get("status").asText());
            assertEquals("DEGRADED", redis.get("data").get("state").asText(), redis.toString());
            Http api = new Http(running.port());
            String phone = "139" + String.format("%08d", System.nanoTime() % 100_000_000L);
            assertEquals(
                    200,
                    api.post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}")
                            .status());
            String code = Files.readAllLines(dir.resolve("logs/combined.log")).stream()
                    .filter(l -> l.contains("verification code for"))
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .replaceAll(".*verification code for [0-9*]+: (\\d{6}).*", "$1");
            Http.Response login =
                    api.post("/api/auth/login", "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}");
            assertEquals(200, login.status(), "SMS login works without Redis: " + login.body());
        } finally {
            running.stop();
        }
    }

    @Test
    void everyDatabaseOutageShapeIsDownWithinFiveSeconds() throws Exception {
        // issue 8 #5: the checks ran one after another with their own timeouts: DOWN took 6-9 s
        int refused;
        try (ServerSocket s = new ServerSocket(0)) {
            refused = s.getLocalPort();
        }
        try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // accepts TCP in the kernel, never says a word: a server that hangs before its greeting
            for (int port : new int[] {refused, blackhole.getLocalPort()}) {
                var running = TestServers.start(
                        dir.resolve("p" + port),
                        Map.of(
                                "APP_ENV",
                                "production",
                                "DB_HOST",
                                "127.0.0.1",
                                "DB_PORT",
                                String.valueOf(port),
                                "DB_USER",
                                "nobody",
                                "DB_PASSWORD",
                                "x"));
                try {
                    assertDownWithinFiveSeconds(new Http(running.adminPort()));
                } finally {
                    running.stop();
                }
            }
        }
        try (var db = TestDatabases.create("ready_frozen");
                TcpProxy proxy = new TcpProxy(TestDatabases.host(), Integer.parseInt(TestDatabases.port()))) {
            var running = TestServers.start(
                    dir.resolve("frozen"),
                    with(with(db.settings(), "DB_HOST", "127.0.0.1"), "DB_PORT", Integer.toString(proxy.port())));
            try {
                Http admin = new Http(running.adminPort());
                assertEquals(200, admin.get("/observe/health/ready").status());
                proxy.freeze();
                Thread.sleep(ReadinessChecks.CACHE.toMillis() + 100); // past the cached UP
                assertDownWithinFiveSeconds(admin);
                assertDownWithinFiveSeconds(admin); // and again while the first probes still hang
                proxy.thaw();
                assertEventually(() -> admin.get("/observe/health/ready").status() == 200, Duration.ofSeconds(30));
            } finally {
                running.stop();
            }
        }
    }

    private static void assertDownWithinFiveSeconds(Http admin) {
        long t0 = System.nanoTime();
        Http.Response ready = admin.get("/observe/health/ready");
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, ready.status(), ready.body());
        assertEquals("DOWN", check(ready.json(), "database").get("status").asText(), ready.body());
        assertTrue(took < 5_000, "DOWN answered in " + took + " ms");
    }

    @Test
    void embeddedDefaultHasNoRedisCheck() {
        var running = TestServers.start(dir, Map.of());
        try {
            Http.Response ready = new Http(running.adminPort()).get("/observe/health/ready");
            assertEquals(200, ready.status());
            for (JsonNode c : ready.json().get("checks")) {
                assertTrue(!"redis".equals(c.get("name").asText()), "no redis check without REDIS_HOST");
            }
        } finally {
            running.stop();
        }
    }

    @Test
    void metricsArePrometheusTextOnTheAdminPort() {
        var running = TestServers.start(dir, Map.of());
        try {
            new Http(running.port()).get("/health");
            Http.Response m = new Http(running.adminPort()).get("/observe/metrics", "Accept", "text/plain");
            assertEquals(200, m.status());
            assertTrue(
                    m.body().contains("# TYPE"),
                    m.body().substring(0, Math.min(300, m.body().length())));
        } finally {
            running.stop();
        }
    }

    static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.get("checks")) {
            if (name.equals(c.get("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    /** Selecting both columns works only when core's fixture V1 and V2 have run in this test's own database. */
    private static void assertFixturesApplied(AiPhotoServer.Running running) {
        assertEquals(
                0,
                running.platform()
                        .database()
                        .client()
                        .execute()
                        .createQuery("SELECT name, colour FROM widgets")
                        .execute()
                        .count());
        assertEquals("2", new Migrations(running.platform().database().dataSource(), FIXTURES).currentVersion());
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    static void assertEventually(Supplier<Boolean> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("condition not met within " + timeout);
    }
}
