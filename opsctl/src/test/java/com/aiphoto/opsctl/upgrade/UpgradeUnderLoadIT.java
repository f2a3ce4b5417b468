package com.aiphoto.opsctl.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.Opsctl;
import com.aiphoto.opsctl.cert.Nginx;
import com.aiphoto.opsctl.cert.TestPki;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling upgrade under load: two real server processes (child JVMs, restarted for real by API_RESTART_CMD)
 * behind the shipped nginx, clients on their own loopback addresses sending GET /health, GET /api/auth/me and
 * POST /api/auth/refresh (a write: each rotation inserts a refresh token row and revokes the previous one) through
 * nginx while {@code opsctl upgrade} backs up, migrates and restarts both instances. Every request must succeed,
 * and every acknowledged rotation must be in the database, none more: a lost or doubled write breaks the chain.
 * Prints the figures. Slow (about a minute): run by failsafe.
 */
class UpgradeUnderLoadIT {
    private static final int CLIENTS = 16;
    /** Each client's minimum; it keeps going until the upgrade has finished. 16 x 320 = 5,120 at least. */
    private static final int PER_CLIENT = 320;
    /** Under nginx's 10 r/s per address for /api/ (burst 20). */
    private static final long PACE_MS = 125;

    private static final String PASSWORD = "load-test-password-1";

    @TempDir
    Path dir;

    private TestDatabases.Scratch db;
    private String redisPrefix;
    private Nginx nginx;
    private TestPki pki;
    private final List<Integer> ports = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int port : ports) {
            Path pid = dir.resolve("api-" + port + ".pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (nginx != null) {
            nginx.close();
        }
        if (redisPrefix != null) {
            TestRedis.deleteByPrefix(redisPrefix);
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void rollingUpgradeOfTwoInstancesUnderLoadFailsNoRequestAndLosesNoWrite() throws Exception {
        db = TestDatabases.create("upgrade_load");
        redisPrefix = TestRedis.randomPrefix();
        int apiA = freePort();
        int apiB = freePort();
        int adminA = freePort();
        int adminB = freePort();
        ports.addAll(List.of(apiA, apiB));
        Path script = instanceScript(Map.of(apiA, adminA, apiB, adminB));

        // the first start migrates the scratch database (APP_ENV=test), then the second joins
        for (int port : ports) {
            run("sh", script.toString(), "start", Integer.toString(port));
            awaitListening(port, Duration.ofSeconds(90));
        }
        pki = new TestPki("upgrade load");
        nginx = Nginx.startedWithTestCertificate(dir.resolve("nginx"), List.of(apiA, apiB), pki);
        long pidA = pid(apiA);
        long pidB = pid(apiB);

        List<Client> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(new Client(c, createUser(c)));
        }
        for (Client c : clients) {
            c.login();
        }

        Map<String, String> env = new HashMap<>(db.settings());
        env.putAll(TestRedis.serverSettings(redisPrefix));
        env.put("APP_ENV", "test");
        env.put("BACKUP_DIR", dir.resolve("backups").toString());
        env.put("LOG_DIR", dir.resolve("opsctl-logs").toString());
        env.put("API_INSTANCES", "127.0.0.1:" + apiA + "/" + adminA + ",127.0.0.1:" + apiB + "/" + adminB);
        env.put("API_RESTART_CMD", "sh " + script + " restart {port}");

        AtomicBoolean upgradeDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long t0 = System.nanoTime();
        List<Future<?>> load = new ArrayList<>();
        CountDownLatch warm = new CountDownLatch(CLIENTS);
        for (Client c : clients) {
            load.add(pool.submit(() -> {
                c.run(upgradeDone, warm);
                return null;
            }));
        }
        warm.await(30, TimeUnit.SECONDS);

        StringWriter out = new StringWriter();
        Writer tee = new Writer() {
            @Override
            public void write(char[] b, int off, int len) {
                System.out.print(new String(b, off, len));
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {}
        };
        long u0 = System.nanoTime();
        int code = new Opsctl(env, List.of())
                .run(new PrintWriter(out, true), new PrintWriter(tee, true), "--json", "upgrade", "--settle", "12s");
        long upgradeMs = (System.nanoTime() - u0) / 1_000_000;
        upgradeDone.set(true);
        for (Future<?> f : load) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long loadMs = (System.nanoTime() - t0) / 1_000_000;

        int requests = clients.stream().mapToInt(c -> c.requests.get()).sum();
        int failures = clients.stream().mapToInt(c -> c.failures.get()).sum();
        int writes = clients.stream().mapToInt(c -> c.refreshes.get()).sum();
        int duringUpgrade =
                clients.stream().mapToInt(c -> c.duringUpgrade.get()).sum();
        System.out.printf(
                "upgrade under load: %d requests (%d while opsctl upgrade ran, %d of them writes in all), %d failed,"
                        + " load %.1f s, upgrade %.1f s, %d clients through nginx to 2 instances%n",
                requests, duringUpgrade, writes, failures, loadMs / 1000.0, upgradeMs / 1000.0, CLIENTS);
        clients.stream().flatMap(c -> c.failed.stream()).limit(20).forEach(f -> System.out.println("  failed: " + f));

        assertEquals(0, code, "opsctl upgrade: " + out);
        Map<?, ?> report = Cli.json(out.toString());
        assertEquals("ok", report.get("result"));
        List<?> turns = (List<?>) report.get("instances");
        assertEquals(2, turns.size());
        for (Object t : turns) {
            assertEquals("restarted", ((Map<?, ?>) t).get("result"), t.toString());
        }
        assertTrue(report.get("backup") != null, "a backup was taken first: " + report);
        try (var files = Files.list(dir.resolve("backups"))) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".json")), "its manifest is written");
        }
        assertNotEquals(pidA, pid(apiA), "instance A is a new process");
        assertNotEquals(pidB, pid(apiB), "instance B is a new process");

        assertTrue(requests >= 5000, "at least 5,000 requests: " + requests);
        assertTrue(duringUpgrade >= 1000, "the load ran through the rollout: " + duringUpgrade);
        assertEquals(0, failures, "failed requests: " + failures);

        // every acknowledged rotation is in the database, and nothing else: rows = the login's + one per refresh,
        // exactly one token at the tip of the chain, and it is the one the client holds (it still refreshes)
        DataSource ds = TestDatabases.driver().dataSource(db.name());
        try (Connection c = ds.getConnection()) {
            for (Client client : clients) {
                assertEquals(
                        1 + client.refreshes.get(),
                        count(c, "SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ?", client.userId),
                        "client " + client.n + ": one row per acknowledged rotation, plus the login's");
                assertEquals(
                        1,
                        count(
                                c,
                                "SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ? AND replaced_by IS NULL AND revoked_at IS NULL",
                                client.userId),
                        "client " + client.n + ": the chain is unbroken: one unreplaced, unrevoked token at its tip");
            }
        }
        for (Client client : clients) {
            assertEquals(200, client.refresh().statusCode(), "the last token each client holds still works");
        }
    }

    /** One user on its own loopback address (nginx limits per address), pacing under the limits. */
    private final class Client {
        final int n;
        final long userId;
        final HttpClient http;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger duringUpgrade = new AtomicInteger();
        final List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        String access;
        String refreshToken;

        Client(int n, long userId) throws Exception {
            this.n = n;
            this.userId = userId;
            this.http = HttpClient.newBuilder()
                    .sslContext(pki.clientContext())
                    .localAddress(InetAddress.getByName("127.0.1." + (n + 10)))
                    .connectTimeout(Duration.ofSeconds(10))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }

        void login() throws Exception {
            HttpResponse<String> r = send(post(
                    "/api/auth/password-login", "{\"phone\":\"" + phone(n) + "\",\"password\":\"" + PASSWORD + "\"}"));
            assertEquals(200, r.statusCode(), r.body());
            take(r.body());
        }

        HttpResponse<String> refresh() throws Exception {
            HttpResponse<String> r = send(post("/api/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}"));
            if (r.statusCode() == 200) {
                take(r.body());
            }
            return r;
        }

        void run(AtomicBoolean upgradeDone, CountDownLatch warm) {
            boolean warmed = false;
            for (int i = 0; i < PER_CLIENT || !upgradeDone.get(); i++) {
                long start = System.nanoTime();
                boolean upgrading = !upgradeDone.get() && warmed;
                String what;
                HttpResponse<String> r;
                try {
                    switch (i % 5) {
                        case 0, 2 -> {
                            what = "GET /health";
                            r = send(HttpRequest.newBuilder(uri("/health")).GET());
                        }
                        case 1, 3 -> {
                            what = "GET /api/auth/me";
                            r = send(HttpRequest.newBuilder(uri("/api/auth/me"))
                                    .header("Authorization", "Bearer " + access)
                                    .GET());
                        }
                        default -> {
                            what = "POST /api/auth/refresh";
                            r = refresh();
                            if (r.statusCode() == 200) {
                                refreshes.incrementAndGet();
                            }
                        }
                    }
                    if (r.statusCode() != 200) {
                        fail(what + " -> " + r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    fail("client " + n + ": " + e);
                }
                requests.incrementAndGet();
                if (upgrading) {
                    duringUpgrade.incrementAndGet();
                }
                if (!warmed && i >= 10) {
                    warmed = true;
                    warm.countDown();
                }
                long left = PACE_MS - (System.nanoTime() - start) / 1_000_000;
                if (left > 0) {
                    sleep(left);
                }
            }
            if (!warmed) {
                warm.countDown();
            }
        }

        private void fail(String what) {
            failures.incrementAndGet();
            failed.add(Instant.now() + " client " + n + ": " + what);
        }

        private void take(String body) {
            Map<?, ?> data = (Map<?, ?>) Cli.json(body).get("data");
            access = (String) data.get("accessToken");
            refreshToken = (String) data.get("refreshToken");
        }

        private HttpRequest.Builder post(String path, String json) {
            return HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }

        private URI uri(String path) {
            return URI.create("https://localhost:" + nginx.httpsPort + path);
        }
    }

    private static String phone(int n) {
        return "1380000" + String.format("%04d", n);
    }

    private long createUser(int n) throws Exception {
        DataSource ds = TestDatabases.driver().dataSource(db.name());
        String hash = OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), Secrets.randomBytes(16), 4);
        try (Connection c = ds.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "INSERT INTO users (phone, password_hash, role, quota_balance, created_at, updated_at)"
                                + " VALUES (?, ?, 'user', 0, ?, ?)",
                        java.sql.Statement.RETURN_GENERATED_KEYS)) {
            java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
            st.setString(1, phone(n));
            st.setString(2, hash);
            st.setTimestamp(3, now);
            st.setTimestamp(4, now);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static long count(Connection c, String sql, long userId) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * {@code instance.sh start|restart PORT}: the real server's Main in a child JVM with that instance's env file;
     * restart stops it with SIGTERM (its graceful stop), waits until it is gone, starts a new one. The restart
     * command opsctl runs, as systemctl restart would.
     */
    private Path instanceScript(Map<Integer, Integer> adminPorts) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        // the server's logback-test.xml is off the class path: production logging, into each LOG_DIR
        Files.writeString(
                dir.resolve("java.args"),
                "-XX:+IgnoreUnrecognizedVMOptions\n--sun-misc-unsafe-memory-access=allow\n-Xmx256m\n-XX:TieredStopAtLevel=1\n-cp\n"
                        + cp + "\ncom.aiphoto.server.Main\n");
        for (var e : adminPorts.entrySet()) {
            Map<String, String> s = new HashMap<>(db.settings());
            s.putAll(TestRedis.serverSettings(redisPrefix));
            s.put("APP_ENV", "test");
            s.put("HOST", "127.0.0.1");
            s.put("PORT", Integer.toString(e.getKey()));
            s.put("ADMIN_HOST", "127.0.0.1");
            s.put("ADMIN_PORT", Integer.toString(e.getValue()));
            s.put("LOG_DIR", dir.resolve("logs-" + e.getKey()).toString());
            s.put("DATA_DIR", dir.resolve("data").toString());
            s.put("JWT_SECRET", "upgrade-load-test-jwt-secret-0123456789abcdef");
            s.put("TRUSTED_PROXIES", "127.0.0.1/32");
            s.put("SHUTDOWN_DRAIN_DELAY", "0s");
            s.put("SHUTDOWN_TIMEOUT", "10s");
            s.put("DISK_MIN_FREE", "1MB");
            s.put("SCHEDULER_POLL_INTERVAL", "5s");
            Files.write(
                    dir.resolve("api-" + e.getKey() + ".env"),
                    s.entrySet().stream()
                            .map(x -> x.getKey() + "=" + x.getValue())
                            .toList());
        }
        Path script = dir.resolve("instance.sh");
        Files.writeString(script, """
                #!/bin/sh
                set -eu
                cd '%1$s'
                port="$2"
                pidfile="api-$port.pid"
                if [ "$1" = restart ] && [ -f "$pidfile" ]; then
                  pid=$(cat "$pidfile")
                  kill -TERM "$pid" 2>/dev/null || true
                  # gone, or a zombie nobody reaps here
                  while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.1; done
                fi
                env -i PATH="$PATH" HOME="$HOME" AI_PHOTO_ENV_FILE='%1$s'/api-$port.env \\
                  nohup '%2$s' @'%1$s'/java.args >> "api-$port.out" 2>&1 < /dev/null &
                echo $! > "$pidfile"
                """.formatted(dir, java), StandardCharsets.UTF_8);
        return script;
    }

    private long pid(int port) throws IOException {
        return Long.parseLong(
                Files.readString(dir.resolve("api-" + port + ".pid")).strip());
    }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), outText);
    }

    private void awaitListening(int port, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        HttpClient c = HttpClient.newHttpClient();
        while (System.nanoTime() < end) {
            try {
                if (c.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            sleep(200);
        }
        throw new AssertionError(
                "instance on " + port + " did not start: " + Files.readString(dir.resolve("api-" + port + ".out")));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
